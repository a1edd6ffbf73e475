# Shape: the package set taken from a `nixpkgs` path argument and imported
# with `system` and `config` (allowUnfree, as many files carry), a trailing
# `...` in the formals, and a --argstr-given flavour.
{ nixpkgs ? <nixpkgs>
, system ? builtins.currentSystem
, pkgs ? import nixpkgs { inherit system; config.allowUnfree = true; }
, flavour ? "plain"
, ...
}:

let
  inherit (pkgs) lib;
  program = pkgs.writeShellScript "flavour-${flavour}" ''
    echo ${lib.escapeShellArg "flavour: ${flavour} on ${system}"}
  '';
in
pkgs.portableService {
  pname = "flavour";
  version = "1-${flavour}";
  description = "Built for ${system}";
  units = [
    (pkgs.writeText "flavour.service" ''
      [Service]
      Type=oneshot
      ExecStart=${program}
    '')
  ];
}
