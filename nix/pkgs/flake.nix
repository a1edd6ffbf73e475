# tsportable's stand-in package set as a flake, shaped like nixpkgs' own
# (`legacyPackages.<system>`, `lib`), so that a flake written for nixpkgs can
# be evaluated and built against it, by tsportable and by Nix alike:
#
#   tsportable build .#default --override-input nixpkgs path:/path/to/tsportable/nix/pkgs
#   nix build .#default --override-input nixpkgs path:/path/to/tsportable/nix/pkgs
#
# The directory is self-contained (lib/ is inside it), as a flake's source must be.
{
  description = "tsportable's stand-in for nixpkgs: a small nixpkgs-shaped package set";

  outputs = { self }:
    let
      lib = import ./lib;
      systems = [ "x86_64-linux" "aarch64-linux" "i686-linux" "armv7l-linux" "riscv64-linux" "x86_64-darwin" "aarch64-darwin" ];
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs systems (system: import ./. { inherit system; });
    };
}
