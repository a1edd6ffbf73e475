# A portable service image from a flake, with flake-utils-style outputs
# (`packages.<system>.default` for each system). Build it with nixpkgs:
#
#   tsportable build .#default
#
# or, offline, with tsportable's own package set standing in for nixpkgs
# (the same flag works for `nix build`):
#
#   tsportable build .#default --override-input nixpkgs path:/path/to/tsportable/nix/pkgs
{
  description = "hello-flake: a greeting service as a portable service image";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      eachSystem = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = eachSystem (pkgs: {
        default = pkgs.portableService {
          pname = "hello-flake";
          version = "1.0";
          description = "Greets whoever connects";
          units = [
            (pkgs.writeText "hello-flake.service" ''
              [Unit]
              Description=Greets whoever connects

              [Service]
              ExecStart=${pkgs.hello}/bin/hello
              StandardOutput=journal
            '')
          ];
          # Quick to build; xz (the default) gives smaller images.
          squash-compression = "gzip -Xcompression-level 6";
        };
      });
    };
}
