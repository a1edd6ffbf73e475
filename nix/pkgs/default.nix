# tsportable's stand-in for nixpkgs, used when no `<nixpkgs>` is on the search
# path: `import ./nix/pkgs { }` takes nixpkgs' arguments and gives a package set
# with nixpkgs' names, arguments and output layout for what it provides (lib,
# stdenv.mkDerivation, the trivial builders, replaceVars, substituteAll,
# symlinkJoin, buildEnv, closureInfo, portableService, and packages made from
# the host's programs: bash, coreutils, glibc, hello, cacert, squashfs-tools,
# and any other program of the host by its name). It is a fixed point, so
# overlays (`final: prev:`) apply as they do to nixpkgs.
#
# Packages are closed as nixpkgs' are: a program's ELF interpreter, its
# libraries and its script interpreter are in its closure, so an image holding
# it runs. Builds need Nix's sandbox off (Debian's default): they run the
# host's /bin/bash with /usr/bin on PATH and copy host files (see host/).
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

  # Below the set's own packages, and so below every overlay: the host's
  # programs by name (host/programs.nix), each made into a closed package
  # when selected. Empty in pure and restricted evaluation.
  hostPrograms = final: builtins.mapAttrs (name: _: final.tsportableHostProgram name) (import ./host/programs.nix).programs;

  packages = final:
    let
      own = import ./all-packages.nix {
        inherit lib config final setArgs;
        system = hostSystem;
      };
    in
    hostPrograms final // own // {
      # The names that are host programs rather than the set's own packages,
      # so that tools (an editor's completion) can offer the set's own first.
      tsportableHostPrograms = builtins.attrNames (builtins.removeAttrs (import ./host/programs.nix).programs (builtins.attrNames own));
    };

  withOverlays = builtins.foldl' (f: overlay: lib.extends overlay f) packages (overlays ++ crossOverlays);
in
lib.fix withOverlays
