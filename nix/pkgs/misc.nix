# Small packages of the default set that are not made from host programs:
# lndir (which symlinkJoin runs) and a multi-output package for tests. Their
# scripts name their shell by store path, as nixpkgs' scripts do.
{ stdenv, runtimeShell }:

{
  # lndir as symlinkJoin uses it: mirror a tree's directories, link its files.
  # `-silent` is accepted and ignored; an existing entry is kept (first wins).
  # It runs inside builds, where the host's find, mkdir and ln are on PATH.
  lndir = stdenv.mkDerivation {
    pname = "lndir";
    version = "host";
    preferLocalBuild = true;
    allowSubstitutes = false;
    buildCommand = ''
      mkdir -p $out/bin
      cat > $out/bin/lndir <<SCRIPT
      #!${runtimeShell}
      SCRIPT
      cat >> $out/bin/lndir <<'SCRIPT'
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
  # `bin` that prints a file of `lib` (with the shell alone: `$(< file)`), a
  # header in `dev`, docs in `out`.
  multiOutputDemo = stdenv.mkDerivation {
    pname = "multi-output-demo";
    version = "1.0";
    outputs = [ "bin" "out" "dev" "lib" ];
    buildCommand = ''
      mkdir -p $lib/lib $dev/include $out/share/doc/multi-output-demo $bin/bin
      echo "greeting from the lib output" > $lib/lib/multi-output-demo.txt
      echo "#define MULTI_OUTPUT_DEMO 1" > $dev/include/multi-output-demo.h
      echo "multi-output-demo: a test package with four outputs" > $out/share/doc/multi-output-demo/README
      printf '#!%s\nprintf "%%s\\n" "$(< %s)"\n' ${runtimeShell} "$lib/lib/multi-output-demo.txt" > $bin/bin/multi-output-demo
      chmod +x $bin/bin/multi-output-demo
    '';
    meta.mainProgram = "multi-output-demo";
  };
}
