# Shape: `with pkgs;` and `with lib;` bodies: units written with lib's string
# helpers (concatStringsSep, optionalString, mapAttrsToList, escapeShellArgs),
# a shell program from writeShellScriptBin, and the description built from data.
{ pkgs ? import <nixpkgs> { } }:

with pkgs;
with lib;

let
  settings = {
    INTERVAL = "30";
    TARGET = "https://example.invalid/health";
    VERBOSE = "1";
  };
  debug = false;

  probe = writeShellScriptBin "probe" ''
    echo "probing $TARGET every $INTERVAL s"
    ${optionalString debug "set -x"}
    exec ${coreutils}/bin/sleep "$INTERVAL"
  '';

  environmentLines = concatStringsSep "\n"
    (mapAttrsToList (name: value: "Environment=${name}=${value}") settings);

  probeService = writeText "probe.service" ''
    [Unit]
    Description=${toUpper "probe"} of ${settings.TARGET}

    [Service]
    ${environmentLines}
    ExecStart=${escapeShellArgs [ "${probe}/bin/probe" "--once" ]}
    ${optionalString (!debug) "ProtectSystem=strict"}
  '';

  probeTimer = writeText "probe.timer" ''
    [Timer]
    OnBootSec=1min
    OnUnitActiveSec=${settings.INTERVAL}s

    [Install]
    WantedBy=timers.target
  '';
in
portableService {
  pname = "probe";
  version = concatStringsSep "." [ "1" "2" "3" ];
  description = "Health probe (${toString (length (attrNames settings))} settings)";
  units = [ probeService probeTimer ];
}
