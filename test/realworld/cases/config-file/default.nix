# Shape: an identity-provider style unit whose configuration is generated in
# Nix (builtins.toJSON of an attribute set, written with writeText) and passed
# on the command line; lib.getExe' names a second program of a package, the
# environment's PATH comes from lib.makeBinPath, recursiveUpdate merges
# defaults, and the unit is a writeTextFile with an explicit name.
{ pkgs ? import <nixpkgs> { }, lib ? pkgs.lib, port ? 5556 }:

let
  defaults = {
    issuer = "http://127.0.0.1:${toString port}";
    storage = { type = "sqlite3"; config.file = "/var/lib/idp/db.sqlite"; };
    web.http = "127.0.0.1:${toString port}";
  };
  settings = lib.recursiveUpdate defaults {
    storage.config.file = "/var/lib/idp/idp.db";
    logger.level = "debug";
  };

  idpConfig = pkgs.writeText "idp-config.json" (builtins.toJSON settings);

  unit = pkgs.writeTextFile {
    name = "idp.service";
    text = ''
      [Unit]
      Description=Identity provider on port ${toString port}

      [Service]
      Type=simple
      Environment=PATH=${lib.makeBinPath [ pkgs.coreutils pkgs.bash ]}
      ExecStartPre=${lib.getExe' pkgs.coreutils "mkdir"} -p /var/lib/idp
      ExecStart=${lib.getExe pkgs.greeter} serve ${idpConfig}
      StateDirectory=idp
      TimeoutStopSec=2
    '';
  };
in
pkgs.portableService {
  pname = "idp";
  version = "0.6.0";
  units = [ unit ];
}
