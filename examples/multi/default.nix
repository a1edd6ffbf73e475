# Several images from one file, as nix-build does with an attribute set:
# pick one with `tsportable build -A web` (or `-A worker`).
{ pkgs ? import <nixpkgs> { } }:

let
  unit = name: description: command: pkgs.writeText "${name}.service" ''
    [Unit]
    Description=${description}

    [Service]
    ExecStart=${command}
  '';

  program = name: text: "${pkgs.writeShellScriptBin name text}/bin/${name}";
in
{
  web = pkgs.portableService {
    pname = "web";
    version = "1.4";
    units = [ (unit "web" "A tiny web responder" (program "web-serve" "exec ${pkgs.coreutils}/bin/sleep infinity")) ];
  };

  worker = pkgs.portableService {
    pname = "worker";
    version = "0.9";
    units = [
      (unit "worker" "A background worker" (program "worker-run" "exec ${pkgs.coreutils}/bin/sleep infinity"))
      (unit "worker-cleanup" "Cleans up after the worker" (program "worker-clean" "echo cleaned"))
    ];
  };
}
