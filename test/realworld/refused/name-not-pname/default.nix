# Shape (refused by nixpkgs too): `name` where portableService wants `pname`,
# as in images written before the argument was renamed.
{ pkgs ? import <nixpkgs> { } }:

pkgs.portableService {
  name = "board";
  version = "1.0";
  units = [ (pkgs.writeText "board.service" "[Service]\nExecStart=${pkgs.hello}/bin/hello\n") ];
}
