# Packages made from the host's programs, closed as Nix packages are: each one
# carries what it needs at run time in its closure, so that an image holding
# it runs where the host's /usr and /lib are not (a portable service's root).
#
#  - `glibc`: the host's loader, libc and the other libraries of the C
#    library, copied into the store;
#  - `hostProgram name` and the packages below: host programs copied into
#    $out/bin, the other libraries they need (as the host's loader finds them)
#    copied into $out/lib, and their ELF interpreter and RUNPATH pointed at
#    glibc's and their own lib directories with patchelf (./close.sh);
#    shell scripts get the set's bash as their `#!`;
#  - `hello`, a tiny C program built with the host's compiler and closed the
#    same way, so that tests and demos have a real program needing libraries.
#
# Building them reads files outside the store (/usr/bin, /lib, /etc/ssl), so
# it needs Nix's sandbox off (Debian's default) and `ldd`, `patchelf` and a C
# compiler on the host. Their versions are "host": a build copies what the
# host has, and Nix keeps the first copy until the store path is collected.
{ lib, stdenv, bash }:

let
  hostDirs = (import ./programs.nix).dirs;

  # The C library's shared objects every image with a program gets (those the
  # host has). Its rarer ones (libmvec, libanl, libnsl...) are copied into the
  # lib/ of a package that needs them, as any other library, to keep images small.
  glibcLibraries = [
    "libc.so.6" "libm.so.6" "libpthread.so.0" "libdl.so.2" "librt.so.1" "libresolv.so.2"
    "libutil.so.1" "libnss_files.so.2" "libnss_dns.so.2"
  ];

  common = {
    version = "host";
    preferLocalBuild = true;
    allowSubstitutes = false;
    hostDirs = lib.concatStringsSep " " hostDirs;
  };

  glibc = stdenv.mkDerivation (common // {
    pname = "glibc";
    libraries = glibcLibraries;
    buildCommand = ''
      source ${./close.sh}
      probe=$(findHostProgram bash)
      loader=$(patchelf --print-interpreter "$probe")
      libc=$(ldd "$probe" | awk '$1 == "libc.so.6" { print $3 }')
      if [ -z "$libc" ]; then echo "tsportable's glibc: cannot find the host's libc.so.6 (ldd $probe)" >&2; exit 1; fi
      libdir=$(dirname "$(readlink -f "$libc")")
      mkdir -p $out/lib
      cp -L "$loader" "$out/lib/$(basename "$loader")"
      for name in $libraries; do
        if [ -e "$libdir/$name" ]; then cp -L "$libdir/$name" "$out/lib/$name"; fi
      done
    '';
    meta.description = "The host's C library and loader, copied into the store";
  });

  # A closed package of host programs: `programs` copied into bin/ (the first
  # one is the main program), then `postInstall`, then closed.
  closedHostPackage = { pname, programs ? [ pname ], shell ? bash, postInstall ? "", meta ? { }, passthru ? { } }:
    stdenv.mkDerivation (common // {
      inherit pname passthru glibc programs;
      shell = if shell == null then "" else shell;
      buildCommand = ''
        source ${./close.sh}
        for program in $programs; do copyHostProgram "$program"; done
        ${postInstall}
        closeHostPrograms
      '';
      meta = { mainProgram = builtins.head programs; } // meta;
    });

  # Store names allow fewer characters than file names (`[` is a program).
  storeSafe = name: if builtins.match "[a-zA-Z0-9+_?=-][a-zA-Z0-9+._?=-]*" name != null then name else "host-program";
in
{
  inherit glibc;

  # The host's program `name` as a closed package, $out/bin/<name>: what
  # `pkgs.<name>` is for a name the set has no package of (../default.nix).
  hostProgram = name: closedHostPackage {
    pname = storeSafe name;
    programs = [ name ];
    meta.description = "The host's ${name}, closed with the libraries it needs";
  };

  bash = closedHostPackage {
    pname = "bash";
    # bash is the shell the others' scripts get: it has no script to close.
    shell = null;
    postInstall = "ln -s bash $out/bin/sh";
    passthru.shellPath = "/bin/bash";
  };

  coreutils = closedHostPackage {
    pname = "coreutils";
    programs = [
      "basename" "cat" "chmod" "chown" "cp" "cut" "date" "dd" "df" "dirname" "du" "echo" "env" "expr"
      "false" "head" "id" "install" "ln" "ls" "md5sum" "mkdir" "mktemp" "mv" "nproc" "printf" "pwd"
      "readlink" "realpath" "rm" "rmdir" "seq" "sha256sum" "sleep" "sort" "stat" "tail" "tee" "test"
      "timeout" "touch" "tr" "true" "uname" "uniq" "wc" "whoami" "yes"
    ];
    meta.mainProgram = "ls";
  };

  # nixpkgs' cacert: one PEM bundle at etc/ssl/certs/ca-bundle.crt.
  cacert = stdenv.mkDerivation (common // {
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

  hello = stdenv.mkDerivation {
    pname = "hello";
    version = "1.0";
    src = ./hello.c;
    inherit glibc;
    hostDirs = common.hostDirs;
    buildCommand = ''
      source ${./close.sh}
      cp "$src" hello.c
      mkdir -p $out/bin
      cc -O2 -s -o $out/bin/hello hello.c
      closeElf $out/bin/hello "$glibc/lib"
    '';
    meta = {
      mainProgram = "hello";
      description = "A program that prints a greeting";
    };
  };

  squashfs-tools = closedHostPackage {
    pname = "squashfs";
    programs = [ "mksquashfs" "unsquashfs" ];
  };
}
