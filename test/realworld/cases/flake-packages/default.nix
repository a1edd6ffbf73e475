# Shape: a Go-service flake's `packages = rec { ... }` for one system: the
# program, a unit from legacy substituteAll pointing at `self.packages`, the
# image next to other packages (picked with -A), a version made from
# `self.lastModifiedDate`, and a CA bundle given as `drv + "/etc/ssl"`.
# `self` and `nixpkgs` are stand-ins for what `nix build` passes to outputs.
let
  system = builtins.currentSystem;
  nixpkgs.legacyPackages.${system} = import <nixpkgs> { inherit system; };

  outputs = { self, nixpkgs }:
    let
      version = builtins.substring 0 8 self.lastModifiedDate;
      pkgs = nixpkgs.legacyPackages.${system};
    in
    {
      packages.${system} = rec {
        pastebin = pkgs.writeShellScriptBin "pastebind" ''
          echo "pastebin ${version} listening"
          exec ${pkgs.coreutils}/bin/sleep infinity
        '';

        portable-service =
          let
            web-service = pkgs.substituteAll {
              name = "pastebin.service";
              src = ./pastebin.service.in;
              pastebind = self.packages.${system}.pastebin;
            };
          in
          pkgs.portableService {
            version = "0.1.0-${version}";
            pname = "pastebin";
            description = "The pastebin service";
            homepage = "https://example.invalid/pastebin";
            units = [ web-service ];
            symlinks = [
              { object = pkgs.cacert + "/etc/ssl"; symlink = "/etc/ssl"; }
            ];
          };

        default = pastebin;
      };
    };

  self = outputs { inherit self nixpkgs; } // { lastModifiedDate = "20240307123456"; };
in
self.packages.${system}
