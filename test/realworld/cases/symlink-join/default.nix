# Shape: several packages (one of them with several outputs) merged with
# symlinkJoin, the merged tree linked at /opt/bundle and its program run from
# the unit; `inherit` from the package set in a let.
{ pkgs ? import <nixpkgs> { } }:

let
  inherit (pkgs) symlinkJoin writeText hello greeter multiOutputDemo;

  bundle = symlinkJoin {
    name = "bundle";
    paths = [ hello greeter multiOutputDemo ];
  };

  unit = writeText "bundle.service" ''
    [Service]
    Type=oneshot
    ExecStart=${bundle}/bin/greeter
    ExecStartPost=${bundle}/bin/multi-output-demo
  '';
in
pkgs.portableService {
  pname = "bundle";
  version = "5";
  units = [ unit ];
  symlinks = [ { object = "${bundle}"; symlink = "/opt/bundle"; } ];
}
