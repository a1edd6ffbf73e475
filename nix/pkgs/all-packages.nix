# The attributes of the stand-in package set, with nixpkgs' names. `final` is
# the set after every overlay, so an overlay that replaces `bash` changes
# `runtimeShell` and every script that uses it, as in nixpkgs.
{ lib, system, config, final, setArgs }:

let
  callPackage = lib.callPackageWith final;
  trivial = import ./build-support/trivial-builders.nix {
    inherit lib;
    inherit (final) stdenv runtimeShell lndir;
  };
  replaceVarsFns = import ./build-support/replace-vars.nix { inherit lib; inherit (final) stdenv; };
  host = import ./host { inherit lib; inherit (final) stdenv bash; };
  misc = import ./misc.nix { inherit (final) stdenv runtimeShell; };
in
{
  inherit lib config system;
  pkgs = final;
  # The root of this set, as `pkgs.path` is nixpkgs' root: `import pkgs.path { }`
  # and `pkgs.path + "/lib"` work as they do with nixpkgs.
  path = ./.;

  # Marks this set so tools (and users) can tell it from nixpkgs.
  tsportableStandIn = true;

  stdenv = import ./stdenv { inherit lib system; shell = "${final.bash}/bin/bash"; };
  stdenvNoCC = final.stdenv;
  buildPlatform = final.stdenv.buildPlatform;
  hostPlatform = final.stdenv.hostPlatform;
  targetPlatform = final.stdenv.targetPlatform;

  inherit callPackage;
  newScope = extra: lib.callPackageWith (final // extra);

  extend = overlay: import ./. (setArgs // { overlays = (setArgs.overlays or [ ]) ++ [ overlay ]; });
  appendOverlays = extraOverlays:
    if extraOverlays == [ ] then final
    else import ./. (setArgs // { overlays = (setArgs.overlays or [ ]) ++ extraOverlays; });

  runtimeShell = "${final.runtimeShellPackage}/bin/bash";
  runtimeShellPackage = final.bash;

  inherit (trivial)
    runCommandWith runCommand runCommandLocal runCommandCC runCommandNoCC runCommandNoCCLocal
    writeTextFile writeText writeTextDir writeScript writeScriptBin writeShellScript writeShellScriptBin
    concatTextFile concatText concatScript symlinkJoin linkFarm linkFarmFromDrvs;

  inherit (replaceVarsFns) replaceVars replaceVarsWith;
  substituteAll = import ./build-support/substitute-all.nix { inherit (final) stdenv; };
  closureInfo = import ./build-support/closure-info.nix { inherit lib; inherit (final) runCommandLocal; };
  buildEnv = import ./build-support/build-env.nix { inherit lib; inherit (final) runCommand; };
  portableService = import ./build-support/portable-service.nix {
    inherit lib;
    inherit (final) pkgs stdenv;
  };

  inherit (host) glibc bash coreutils cacert hello squashfs-tools;
  inherit (misc) lndir multiOutputDemo;
  # The host's program `name` as a closed package: what `pkgs.<name>` is for a
  # name this set has no package of, when the host has that program (default.nix).
  tsportableHostProgram = host.hostProgram;
  bashInteractive = final.bash;
  squashfsTools = final.squashfs-tools;
  xorg = { lndir = final.lndir; };
}
