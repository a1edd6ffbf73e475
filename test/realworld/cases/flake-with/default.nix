# Shape: a flake's packages for several systems made with
# `genAttrs systems (system: with nixpkgs.legacyPackages.${system}; rec { ... })`,
# so portableService, writeText and the packages are found through `with`
# on the package set; built with -A packages.<system>.portable.
let
  lib = (import <nixpkgs> { }).lib;
  systems = [ "x86_64-linux" "aarch64-linux" ];
  nixpkgs.legacyPackages = lib.genAttrs systems (system: import <nixpkgs> { inherit system; });

  outputs = { self, nixpkgs }: with lib; {
    packages = genAttrs systems (system: with nixpkgs.legacyPackages.${system}; rec {
      daemon = writeShellScriptBin "stamp" ''
        ${coreutils}/bin/date -u > /var/lib/stamp/now
      '';
      unit = writeText "stamp.service" ''
        [Service]
        Type=oneshot
        ExecStart=${daemon}/bin/stamp
        StateDirectory=stamp
      '';
      portable = portableService {
        pname = "stamp";
        version = "0.2.0";
        units = [ unit ];
        symlinks = [ { object = "${bash}/bin/bash"; symlink = "/bin/sh"; } ];
      };
      default = daemon;
    });
  };

  self = outputs { inherit self nixpkgs; };
in
self
