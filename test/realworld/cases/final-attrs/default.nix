# Shape: newer nixpkgs idioms: `stdenv.mkDerivation (finalAttrs: { ... })`
# reading its own version, `overrideAttrs (finalAttrs: prev: { ... })`, a
# package set grown with `pkgs.extend`, and lib.getBin/getLib picking outputs.
{ pkgs ? import <nixpkgs> { } }:

let
  pkgs' = pkgs.extend (final: prev: {
    beacon = final.stdenv.mkDerivation (finalAttrs: {
      pname = "beacon";
      version = "3.2.1";
      buildCommand = ''
        mkdir -p $out/bin
        printf '#!%s\necho "beacon %s"\n' ${final.runtimeShell} ${finalAttrs.version} > $out/bin/beacon
        chmod +x $out/bin/beacon
      '';
      meta.mainProgram = "beacon";
    });
  });

  beacon = pkgs'.beacon.overrideAttrs (finalAttrs: prev: {
    version = "${prev.version}.1";
  });

  unit = pkgs'.writeText "beacon.service" ''
    [Service]
    ExecStart=${pkgs'.lib.getExe beacon}
    ExecStartPost=${pkgs'.lib.getBin pkgs'.multiOutputDemo}/bin/multi-output-demo
    Environment=DEMO_LIB=${pkgs'.lib.getLib pkgs'.multiOutputDemo}/lib
  '';
in
pkgs'.portableService {
  pname = "beacon";
  version = "3.2.1.1";
  units = [ unit ];
}
