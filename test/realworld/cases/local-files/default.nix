# Shape: local files used directly from the unit: a script run as
# `bash ${./run.sh}`, a directory of static files interpolated with
# `${./www}`, a writeScript with a runtimeShell shebang, and a configuration
# file given as `toString` of a store path in a symlink.
{ pkgs ? import <nixpkgs> { } }:

let
  healthcheck = pkgs.writeScript "site-healthcheck" ''
    #!${pkgs.runtimeShell}
    test -f ${./www}/index.html
  '';

  unit = pkgs.writeText "site.service" ''
    [Unit]
    Description=Serves ${./www}

    [Service]
    ExecStartPre=${healthcheck}
    ExecStart=${pkgs.bash}/bin/bash ${./run.sh} ${./www}
    DynamicUser=yes
  '';

  siteConf = pkgs.writeText "site.conf" "root=/srv/www\n";
in
pkgs.portableService {
  pname = "site";
  version = "2024.3";
  units = [ unit ];
  symlinks = [
    { object = "${./www}"; symlink = "/srv/www"; }
    { object = toString siteConf; symlink = "/etc/site.conf"; }
  ];
}
