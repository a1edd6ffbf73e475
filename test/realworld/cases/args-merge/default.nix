# Shape: the argument set assembled rather than written out: shared fields
# merged with `//` into a `rec { ... }` whose units and description use its
# own pname, and a unit named by baseNameOf of its checked-in file.
{ pkgs ? import <nixpkgs> { } }:
let
  common = { version = "2.0"; homepage = "https://example.invalid/relay-cache"; };
  fileUnit = f: pkgs.writeText (baseNameOf f) (builtins.readFile f);
in
pkgs.portableService (common // rec {
  pname = "relay-cache";
  description = "${pname} ${common.version}";
  units = [
    (pkgs.writeText "${pname}.service" "[Service]\nExecStart=${pkgs.hello}/bin/hello\n")
    (fileUnit ./relay-cache.socket)
  ];
})
