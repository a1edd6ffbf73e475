# The demo from the nixpkgs manual's "pkgs.portableService" section, in its
# usual shape: a small shell program, a socket-activated service running it,
# and the image that bundles both.
{ pkgs ? import <nixpkgs> { } }:

let
  demo-program = pkgs.writeShellScriptBin "demo-greeter" ''
    # Answers every connection with a greeting and the time.
    echo "Hello from a portable service. It is $(date -u)."
  '';

  demo-service = pkgs.writeText "demo@.service" ''
    [Unit]
    Description=Greets whoever connects to the demo socket

    [Service]
    ExecStart=${demo-program}/bin/demo-greeter
    StandardInput=socket
    StandardOutput=socket
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
