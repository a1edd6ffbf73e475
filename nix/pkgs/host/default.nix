# Small packages made from the host's programs, for demos and tests of the
# stand-in package set. They copy (or point to) files outside the Nix store,
# which only works with Nix's sandbox off (Debian's default); with the sandbox
# on, /bin/bash, /usr/bin and /etc/ssl would have to be listed in
# `sandbox-paths`. Copied binaries still load the host's shared libraries, so
# they run on this host, not inside an image on another machine. Their
# versions are "host": the build does not know which version it copies.
{ lib, stdenv, runtimeShell }:

let
  hostPackage = { pname, buildCommand, meta ? { }, passthru ? { }, outputs ? [ "out" ] }:
    stdenv.mkDerivation {
      inherit pname buildCommand meta passthru outputs;
      version = "host";
      preferLocalBuild = true;
      allowSubstitutes = false;
    };

  # Fails the build with a clear message when the host lacks a program.
  findHostProgram = ''
    findHostProgram() {
      local p
      for p in "/usr/bin/$1" "/bin/$1" "/usr/sbin/$1" "/sbin/$1" "/usr/local/bin/$1"; do
        if [ -x "$p" ]; then echo "$p"; return; fi
      done
      echo "tsportable's stand-in package set needs the host program '$1', which is not installed" >&2
      exit 1
    }
  '';
in
rec {
  bash = hostPackage {
    pname = "bash";
    buildCommand = findHostProgram + ''
      mkdir -p $out/bin
      cp "$(findHostProgram bash)" $out/bin/bash
      ln -s bash $out/bin/sh
    '';
    meta.mainProgram = "bash";
    passthru.shellPath = "/bin/bash";
  };

  coreutils = hostPackage {
    pname = "coreutils";
    buildCommand = findHostProgram + ''
      mkdir -p $out/bin
      for tool in basename cat chmod cp cut date dirname echo env false head id ln ls \
                  mkdir mv printf readlink rm sleep sort tail test touch tr true uname wc; do
        cp "$(findHostProgram $tool)" $out/bin/$tool
      done
    '';
  };

  # nixpkgs' cacert: one PEM bundle at etc/ssl/certs/ca-bundle.crt.
  cacert = (hostPackage {
    pname = "nss-cacert";
    buildCommand = ''
      bundle=/etc/ssl/certs/ca-certificates.crt
      if [ ! -f "$bundle" ]; then
        echo "tsportable's stand-in cacert copies the host's $bundle, which does not exist" >&2
        exit 1
      fi
      mkdir -p $out/etc/ssl/certs
      cp "$bundle" $out/etc/ssl/certs/ca-bundle.crt
    '';
  });

  # A shell script, so that its closure holds a second path (the shell).
  hello = stdenv.mkDerivation {
    pname = "hello";
    version = "1.0";
    buildCommand = ''
      mkdir -p $out/bin
      printf '#!%s\necho "Hello, world!"\n' ${runtimeShell} > $out/bin/hello
      chmod +x $out/bin/hello
    '';
    meta = {
      mainProgram = "hello";
      description = "A program that prints a greeting";
    };
  };

  # Wrappers calling the host's mksquashfs/unsquashfs.
  squashfs-tools = hostPackage {
    pname = "squashfs";
    buildCommand = findHostProgram + ''
      mkdir -p $out/bin
      for tool in mksquashfs unsquashfs; do
        printf '#!/bin/sh\nexec %s "$@"\n' "$(findHostProgram $tool)" > $out/bin/$tool
        chmod +x $out/bin/$tool
      done
    '';
    meta.mainProgram = "mksquashfs";
  };

  # lndir as symlinkJoin uses it: mirror a tree's directories, link its files.
  # `-silent` is accepted and ignored; an existing entry is kept (first wins).
  lndir = hostPackage {
    pname = "lndir";
    buildCommand = ''
      mkdir -p $out/bin
      cat > $out/bin/lndir <<'SCRIPT'
      #!/bin/bash
      set -e
      [ "$1" = -silent ] && shift
      from="$1"; to="''${2:-.}"
      cd "$from"
      find . -mindepth 1 -type d -printf '%P\0' | while IFS= read -r -d "" d; do mkdir -p "$to/$d"; done
      find . -mindepth 1 ! -type d -printf '%P\0' | while IFS= read -r -d "" f; do
        if [ -e "$to/$f" ] || [ -L "$to/$f" ]; then continue; fi
        if [ -L "$f" ]; then ln -s "$(readlink "$f")" "$to/$f"; else ln -s "$from/$f" "$to/$f"; fi
      done
      SCRIPT
      chmod +x $out/bin/lndir
    '';
    meta.mainProgram = "lndir";
  };

  # A package with several outputs, as nixpkgs' libraries have: a program in
  # `bin` that refers to a file in `lib`, a header in `dev`, docs in `out`.
  multiOutputDemo = stdenv.mkDerivation {
    pname = "multi-output-demo";
    version = "1.0";
    outputs = [ "bin" "out" "dev" "lib" ];
    buildCommand = ''
      mkdir -p $lib/lib $dev/include $out/share/doc/multi-output-demo $bin/bin
      echo "greeting from the lib output" > $lib/lib/multi-output-demo.txt
      echo "#define MULTI_OUTPUT_DEMO 1" > $dev/include/multi-output-demo.h
      echo "multi-output-demo: a test package with four outputs" > $out/share/doc/multi-output-demo/README
      printf '#!%s\ncat %s\n' ${runtimeShell} "$lib/lib/multi-output-demo.txt" > $bin/bin/multi-output-demo
      chmod +x $bin/bin/multi-output-demo
    '';
    meta.mainProgram = "multi-output-demo";
  };
}
