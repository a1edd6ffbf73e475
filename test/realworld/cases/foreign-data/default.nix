# Shape: package data used as plain data in the file: builtins.toJSON of a set
# holding packages, a package's outputs list (length, concatStringsSep),
# meta.description escaped for the shell, stdenv.isLinux in optionalString,
# hostPlatform.system, and concatMapStringsSep over packages.
{ pkgs ? import <nixpkgs> { } }:
let
  inherit (pkgs) lib;
  cfg = pkgs.writeText "fx.json" (builtins.toJSON { app = pkgs.hello; list = [ pkgs.coreutils "${pkgs.bash}/bin/bash" ]; n = builtins.length pkgs.multiOutputDemo.outputs; });
  unit = pkgs.writeText "fx.service" ''
    [Service]
    ExecStart=${pkgs.hello}/bin/hello ${cfg}
    ${lib.optionalString pkgs.stdenv.isLinux "Environment=LINUX=1"}
    Environment=SYSTEM=${pkgs.stdenv.hostPlatform.system}
    Environment=DESC=${lib.escapeShellArg pkgs.hello.meta.description}
    Environment=OUTS=${lib.concatStringsSep "," pkgs.multiOutputDemo.outputs}
    Environment=PATHS=${lib.concatMapStringsSep ":" (p: "${p}/bin") [ pkgs.hello pkgs.coreutils ]}
  '';
in
pkgs.portableService {
  pname = "fx";
  version = "1";
  units = [ unit ];
}
