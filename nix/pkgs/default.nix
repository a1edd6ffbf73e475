# tsportable's stand-in for nixpkgs, used when no `<nixpkgs>` is on the search
# path: `import ./nix/pkgs { }` takes nixpkgs' arguments and gives a package set
# with nixpkgs' names, arguments and output layout for what it provides (lib,
# stdenv.mkDerivation, the trivial builders, replaceVars, substituteAll,
# symlinkJoin, buildEnv, closureInfo, portableService, and a few packages made
# from the host's programs). It is a fixed point, so overlays (`final: prev:`)
# apply as they do to nixpkgs.
#
# Builds need Nix's sandbox off (Debian's default): they run the host's
# /bin/bash with /usr/bin on PATH and some copy host files (see host/).
{ system ? builtins.currentSystem
, localSystem ? null
, crossSystem ? null
, overlays ? [ ]
, crossOverlays ? [ ]
, config ? { }
, ...
}@setArgs:

let
  lib = import ./lib;

  hostSystem =
    if localSystem == null then system
    else if builtins.isString localSystem then localSystem
    else localSystem.system;

  packages = final: import ./all-packages.nix {
    inherit lib config final setArgs;
    system = hostSystem;
  };

  withOverlays = builtins.foldl' (f: overlay: lib.extends overlay f) packages (overlays ++ crossOverlays);
in
lib.fix withOverlays
