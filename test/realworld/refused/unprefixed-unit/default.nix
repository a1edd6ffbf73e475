# Shape (refused by nixpkgs too): a unit named after the program rather than
# the image, so systemd-portabled would ignore it.
{ pkgs ? import <nixpkgs> { } }:

pkgs.portableService {
  pname = "board";
  version = "1.0";
  units = [ (pkgs.writeText "hello.service" "[Service]\nExecStart=${pkgs.hello}/bin/hello\n") ];
}
