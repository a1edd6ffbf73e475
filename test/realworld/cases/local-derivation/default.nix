# Shape: the service's own program built in the same file with
# stdenv.mkDerivation from a local source directory (phases, `rec`,
# nativeBuildInputs, meta.mainProgram), its configuration from builtins.toFile,
# and the source tree also imported with builtins.path into `contents`.
{ pkgs ? import <nixpkgs> { } }:

let
  counter = pkgs.stdenv.mkDerivation rec {
    pname = "counter";
    version = "0.9.1";
    src = ./src;
    nativeBuildInputs = [ pkgs.coreutils ];
    installPhase = ''
      runHook preInstall
      mkdir -p $out/bin $out/share/${pname}
      cp counter.sh $out/bin/counter
      chmod +x $out/bin/counter
      echo ${version} > $out/share/${pname}/VERSION
      runHook postInstall
    '';
    meta.mainProgram = "counter";
  };

  config = builtins.toFile "counter.conf" ''
    start=10
    step=2
  '';

  sources = builtins.path { name = "counter-source"; path = ./src; };

  unit = pkgs.writeText "counter.service" ''
    [Service]
    ExecStart=${pkgs.lib.getExe counter} ${config}
  '';
in
pkgs.portableService {
  pname = "counter";
  inherit (counter) version;
  units = [ unit ];
  contents = [ sources ];
}
