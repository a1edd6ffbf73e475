# Shape: units generated from data, as people do when porting NixOS service
# options: lib.generators.toINI (lists as repeated keys, a float, booleans)
# over attribute sets, one writeText per unit through mapAttrsToList, plus a
# timer written by a runCommand script.
{ pkgs ? import <nixpkgs> { } }:

let
  inherit (pkgs) lib;
  pname = "backup";

  script = pkgs.writeShellScript "backup-run" ''
    ${pkgs.coreutils}/bin/date > /var/lib/backup/last-run
  '';

  services = {
    run = {
      Unit = {
        Description = "Backs up the state directory";
        After = [ "network.target" "local-fs.target" ];
      };
      Service = {
        Type = "oneshot";
        ExecStartPre = [ "${pkgs.coreutils}/bin/true" "${pkgs.coreutils}/bin/echo starting" ];
        ExecStart = "${script}";
        RestartSec = 2.5;
        StateDirectory = "backup";
        Nice = 10;
      };
    };
    prune = {
      Unit.Description = "Prunes old backups";
      Service = {
        Type = "oneshot";
        ExecStart = "${pkgs.coreutils}/bin/true";
        DynamicUser = true;
      };
    };
  };

  serviceUnits = lib.mapAttrsToList
    (name: unit: pkgs.writeText "${pname}-${name}.service" (lib.generators.toINI { listsAsDuplicateKeys = true; } unit))
    services;

  timer = pkgs.runCommand "${pname}-run.timer" { calendar = "daily"; } ''
    cat > $out <<EOF
    [Timer]
    OnCalendar=$calendar
    Persistent=true

    [Install]
    WantedBy=timers.target
    EOF
  '';
in
pkgs.portableService {
  inherit pname;
  version = "0.1";
  units = serviceUnits ++ [ timer ];
}
