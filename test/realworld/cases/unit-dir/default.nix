# Shape: every unit file of a folder, found with builtins.readDir, filtered
# by suffix and wrapped with concatText through path concatenation
# (`./units + "/${name}"`), ExecStart paths filled in with replaceStrings.
{ pkgs ? import <nixpkgs> { } }:

let
  inherit (pkgs) lib;
  unitNames = builtins.filter
    (n: lib.hasSuffix ".service" n || lib.hasSuffix ".timer" n)
    (builtins.attrNames (builtins.readDir ./units));

  fill = text: builtins.replaceStrings [ "@bash@" "@hello@" ] [ "${pkgs.bash}" "${pkgs.hello}" ] text;

  toUnit = name: pkgs.writeText name (fill (builtins.readFile (./units + "/${name}")));
in
pkgs.portableService {
  pname = "fleet";
  version = "7";
  units = map toUnit unitNames;
}
