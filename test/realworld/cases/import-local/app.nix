{ pkgs }:

pkgs.stdenv.mkDerivation {
  name = "notes-app";
  src = ./app;
  installPhase = ''
    mkdir -p $out/bin $out/share/notes
    cp notes $out/bin/notes
    chmod +x $out/bin/notes
    cp *.md $out/share/notes/
  '';
}
