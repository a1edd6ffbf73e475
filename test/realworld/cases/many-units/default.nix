# Shape: an image with many generated units (40, from lib.genList), each with
# its own script and its own `.override` of a package: the size at which
# per-value Nix calls would show.
{ pkgs ? import <nixpkgs> { } }:
let
  inherit (pkgs) lib;
  mk = i: let
    script = pkgs.writeShellScript "many-job-${toString i}" ''
      ${pkgs.coreutils}/bin/echo job ${toString i} ${pkgs.hello}/bin/hello
    '';
  in pkgs.writeText "many-job${toString i}.service" ''
    [Service]
    Type=oneshot
    ExecStart=${script}
    Environment=GREETER=${(pkgs.greeter.override { greeting = "Hi ${toString i}"; })}/bin/greeter
  '';
in
pkgs.portableService {
  pname = "many";
  version = "1";
  units = lib.genList mk 40;
}
