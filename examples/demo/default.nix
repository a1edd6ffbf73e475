# The demo from the nixpkgs manual's "pkgs.portableService" section, in its
# usual shape: a small shell program, a service running it, a socket that
# starts the service, and the image that bundles them.
{ pkgs ? import <nixpkgs> { } }:

let
  # A portable service has no /usr/bin: the script names its tools by store
  # path, so that they (and what they need) are in the image.
  demo-program = pkgs.writeShellScriptBin "demo-greeter" ''
    # Greets every few seconds, so `journalctl -u demo` shows it is alive.
    while true; do
      echo "Hello from a portable service"
      ${pkgs.coreutils}/bin/sleep 3
    done
  '';

  demo-service = pkgs.writeText "demo.service" ''
    [Unit]
    Description=Greets from inside a portable service image

    [Service]
    ExecStart=${demo-program}/bin/demo-greeter
    DynamicUser=yes
  '';

  demo-socket = pkgs.concatText "demo.socket" [ ./demo.socket ];
in
pkgs.portableService {
  pname = "demo";
  version = "1.0";
  description = ''A demo "Portable Service" for a shell program built with nix'';
  units = [ demo-service demo-socket ];
}
