# Shape: a symlink whose object is not a store path: the service enabled
# inside the image by a relative `.wants` link next to the unit, and a
# /var/run link to /run, as people add to satisfy old programs.
{ pkgs ? import <nixpkgs> { } }:

let
  unit = pkgs.writeText "waiter.service" ''
    [Service]
    ExecStart=${pkgs.coreutils}/bin/sleep infinity

    [Install]
    WantedBy=multi-user.target
  '';
in
pkgs.portableService {
  pname = "waiter";
  version = "1.0";
  units = [ unit ];
  symlinks = [
    { object = "../waiter.service"; symlink = "/etc/systemd/system/multi-user.target.wants/waiter.service"; }
    { object = "/run"; symlink = "/var/run"; }
  ];
}
