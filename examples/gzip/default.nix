# Faster to build, larger to ship: gzip instead of xz, with 128K blocks.
{ pkgs ? import <nixpkgs> { } }:

let
  ticker = pkgs.writeShellScriptBin "ticker" ''
    while true; do echo tick; ${pkgs.coreutils}/bin/sleep 10; done
  '';
in
pkgs.portableService {
  pname = "ticker";
  version = "1.0.0";
  units = [
    (pkgs.writeText "ticker.service" ''
      [Service]
      ExecStart=${ticker}/bin/ticker
    '')
  ];
  squash-compression = "gzip -Xcompression-level 6";
  squash-block-size = "128K";
}
