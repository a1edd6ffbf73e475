# Shape: import from derivation: the version read from a file a runCommand
# writes (lib.fileContents of a derivation), and the unit text read with
# builtins.readFile from a build output that mentions a package, so the text
# carries that package as a reference (Nix keeps a read file's references).
{ pkgs ? import <nixpkgs> { } }:

let
  inherit (pkgs) lib;

  versionFile = pkgs.runCommand "fromfile-version" { } "echo 3.1.4 > $out";

  generatedUnit = pkgs.runCommand "fromfile-unit-text" { } ''
    printf '[Service]\nType=oneshot\nExecStart=%s/bin/hello\n' ${pkgs.hello} > $out
  '';
in
pkgs.portableService {
  pname = "fromfile";
  version = lib.fileContents versionFile;
  units = [ (pkgs.writeText "fromfile.service" (builtins.readFile generatedUnit)) ];
}
