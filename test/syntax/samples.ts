/** Realistic Nix sources shared by the syntax tests: a nixfmt-style package, a flake, a portable service. */

export const NIXPKGS_STYLE = `{
  lib,
  stdenv,
  fetchFromGitHub,
  cmake,
  withDocs ? false, # documentation is slow to build
  extraFlags ? [ ],
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "cowsay";
  version = "3.7.0";

  src = fetchFromGitHub {
    owner = "cowsay-org";
    repo = "cowsay";
    rev = "v\${finalAttrs.version}";
    hash = "sha256-t1grmCPQhRgwS64RjEwkK61F2qxxMBKuv0/DzBTnL3s=";
  };

  nativeBuildInputs = [ cmake ] ++ lib.optionals withDocs [ ];
  cmakeFlags = [ "-DDOCS=\${if withDocs then "ON" else "OFF"}" ] ++ extraFlags;

  postInstall = ''
    install -Dm644 \${./cow.service} $out/lib/systemd/system/cow.service
    ln -s $out/bin/cowsay $out/bin/cowthink
  '';

  meta = {
    description = "Program which generates ASCII pictures of a cow with a message";
    license = lib.licenses.gpl3Only;
    platforms = lib.platforms.all;
    mainProgram = "cowsay";
  };
})
`;

export const FLAKE = `{
  description = "A portable cowsay service";
  inputs.nixpkgs.url = github:NixOS/nixpkgs/nixos-24.05;
  inputs.flake-utils.url = "github:numtide/flake-utils";
  outputs = { self, nixpkgs, flake-utils, ... }:
    flake-utils.lib.eachDefaultSystem (system:
      let pkgs = nixpkgs.legacyPackages.\${system}; in {
        packages.default = pkgs.callPackage ./default.nix { };
        packages.portable = pkgs.portableService {
          pname = "cow";
          inherit (pkgs.cowsay) version;
          units = [ ./cow.service ./cow\${"-"}socket.socket ];
        };
      });
}
`;

export const PORTABLE = `{ pkgs ? import <nixpkgs> { }, name ? "cow", }:
let
  unit = pkgs.writeText "\${name}.service" ''
    [Unit]
    Description=A cow that \${"says"} things

    [Service]
    ExecStart=\${pkgs.cowsay}/bin/cowsay "Moo"
  '';
  x = ./cow\${name}.service;
in
pkgs.portableService {
  pname = name;
  inherit (pkgs.cowsay) version;
  units = [ unit x ];
  symlinks = [ { object = "\${pkgs.cacert}/etc/ssl"; symlink = "/etc/ssl"; } ];
}
`;
