# Shape: several images from one list with lib.genAttrs (shared unit maker,
# `rec`-free), the one to build chosen with -A, plus a non-image attribute.
{ pkgs ? import <nixpkgs> { } }:

let
  inherit (pkgs) lib;
  mkImage = name: pkgs.portableService {
    pname = "worker-${name}";
    version = "2.${toString (lib.stringLength name)}";
    units = [
      (pkgs.writeText "worker-${name}.service" ''
        [Service]
        ExecStart=${pkgs.greeter}/bin/greeter ${name}
      '')
    ];
  };
in
lib.genAttrs [ "east" "west" ] mkImage // {
  tools = pkgs.hello;
}
