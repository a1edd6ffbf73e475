# Shape: a flake's `outputs` (pkgs from `nixpkgs.legacyPackages.${system}`)
# whose units are hand-made attribute sets `{ name; outPath; }`: a template
# unit `echo@.service` (a name no store path may have) read with
# builtins.readFile, its path spelled with an interpolated "@" that a path
# literal cannot hold, then filled in by replaceVarsWith; and a socket that is
# a local file interpolated into the store. The flake is evaluated here
# with a stand-in `nixpkgs` input so that nix-build can run the file as is.
let
  system = builtins.currentSystem;
  inputs.nixpkgs = {
    legacyPackages.${system} = import <nixpkgs> { inherit system; };
  };

  outputs = { self, nixpkgs }:
    let
      pkgs = nixpkgs.legacyPackages.${system};

      echo-service = {
        name = "echo@.service";
        outPath =
          (pkgs.replaceVarsWith {
            name = "echo-template.service";
            src = pkgs.writeText "echo.service" (builtins.readFile ./echo${"@"}.service);
            replacements.catExe = "${pkgs.coreutils}/bin/cat";
          }).outPath;
      };

      echo-socket = {
        name = "echo.socket";
        outPath = "${./echo.socket}";
      };
    in
    {
      packages.${system}.default = pkgs.portableService {
        pname = "echo";
        version = "1.0";
        units = [ echo-service echo-socket ];
      };
    };

  self = outputs ({ inherit self; } // inputs);
in
self.packages.${system}.default
