# Shape: a package changed with `.override` (as the uwsgi/php images do)
# before its program goes into the unit through lib.getExe, with `lib` taken
# from a defaulted argument and xz swapped for zstd.
{ pkgs ? import <nixpkgs> { }, lib ? pkgs.lib }:

let
  bonjour = pkgs.greeter.override { greeting = "Bonjour"; };

  unit = pkgs.writeText "bonjour.service" ''
    [Unit]
    Description=Says ${bonjour.greeting}

    [Service]
    Type=oneshot
    ExecStart=${lib.getExe bonjour}
    RemainAfterExit=yes
  '';
in
pkgs.portableService {
  pname = "bonjour";
  version = "2.0";
  units = [ unit ];
  squash-compression = "zstd";
}
