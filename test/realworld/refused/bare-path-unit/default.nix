# Shape (refused by nixpkgs too): a checked-in socket file given to `units` as
# a bare path, next to a proper unit, as in an early uwsgi-app image.
{ pkgs ? import <nixpkgs> { } }:

pkgs.portableService {
  pname = "board";
  version = "1.0";
  units = [
    (pkgs.writeText "board.service" "[Service]\nExecStart=${pkgs.hello}/bin/hello\n")
    ./board.socket
  ];
}
