# `contents` puts a package into the image as-is, with its closure, even when
# no unit refers to it: here `hello`, for an operator to run inside the image.
{ pkgs ? import <nixpkgs> { }, lib ? pkgs.lib }:

let
  service = pkgs.writeText "greeter.service" ''
    [Unit]
    Description=Says hello once

    [Service]
    Type=oneshot
    ExecStart=${lib.getExe pkgs.hello}
  '';
in
pkgs.portableService {
  pname = "greeter";
  version = "2.1";
  description = "Hello, as a portable service";
  units = [ service ];
  contents = [ pkgs.hello ];
}
