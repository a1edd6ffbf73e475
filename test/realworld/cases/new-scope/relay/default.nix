{ serviceName, writeText, writeShellScript, coreutils }:

let
  run = writeShellScript "relay" ''
    exec ${coreutils}/bin/sleep infinity
  '';
in
{
  service = writeText "${serviceName}-relay.service" ''
    [Service]
    ExecStart=${run}
    DynamicUser=yes
  '';
}
