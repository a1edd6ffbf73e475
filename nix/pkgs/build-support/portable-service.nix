# The reference `portableService`: what nixpkgs'
# pkgs/build-support/portable-service/default.nix does, written for the
# stand-in set. tsportable's own builder must give the same image tree; the
# comparison tests and benchmarks build this one with real Nix.
#
# Steps, as nixpkgs: a root scaffold derivation (os-release from
# lib.generators.toKeyValue, the units copied to etc/systemd/system, empty
# resolv.conf and machine-id, mount-point directories, the symlinks); the
# closure of the scaffold plus `contents` (closureInfo), copied with `cp -a`
# into build/nix/store; mksquashfs of `nix` and the scaffold's top-level
# entries with SOURCE_DATE_EPOCH=0.
{ pkgs, lib, stdenv }:

{ pname
, version
, units
, description ? null
, homepage ? null
, symlinks ? [ ]
, contents ? [ ]
  # The package whose mksquashfs is used; `squashfsTools` is its older name.
, squashfsTools ? pkgs.squashfs-tools
, squashfs-tools ? squashfsTools
, squash-compression ? "xz -Xdict-size 100%"
, squash-block-size ? "1M"
}:

let
  withoutNulls = lib.filterAttrs (_: v: v != null);

  osRelease = pkgs.writeText "os-release" (lib.generators.toKeyValue { } (withoutNulls {
    PORTABLE_ID = pname;
    PORTABLE_PRETTY_NAME = description;
    HOME_URL = homepage;
    ID = "nixos";
    PRETTY_NAME = "NixOS";
    BUILD_ID = "rolling";
  }));

  copyUnit = unit: "cp ${unit} $out/etc/systemd/system/${unit.name};";
  makeSymlink = { object, symlink }: ''
    mkdir -p $(dirname $out/${symlink});
    ln -s ${object} $out/${symlink};
  '';

  rootFsScaffold = stdenv.mkDerivation {
    pname = "root-fs-scaffold";
    inherit version;

    buildCommand = ''
      # the layout systemd expects of a portable service's root
      mkdir -p $out/etc/systemd/system $out/proc $out/sys $out/dev $out/run \
               $out/tmp $out/var/tmp $out/var/lib $out/var/cache $out/var/log

      # the host's versions are mounted over these
      touch $out/etc/resolv.conf $out/etc/machine-id

      cp ${osRelease} $out/etc/os-release
    ''
    + lib.concatMapStringsSep "\n" copyUnit units
    + lib.concatMapStringsSep "\n" makeSymlink symlinks;
  };
in

assert lib.assertMsg (lib.all (u: lib.hasPrefix pname u.name) units)
  "Unit names must be prefixed with the service name";

stdenv.mkDerivation {
  pname = "${pname}-img";
  inherit version;

  nativeBuildInputs = [ squashfs-tools ];
  closureInfo = pkgs.closureInfo { rootPaths = [ rootFsScaffold ] ++ contents; };

  passthru = { inherit rootFsScaffold; };

  buildCommand = ''
    mkdir -p nix/store
    for i in $(< $closureInfo/store-paths); do
      cp -a "$i" "''${i:1}"
    done

    mkdir -p $out
    # portablectl only accepts images whose name ends in .raw; a zero
    # SOURCE_DATE_EPOCH makes the image reproducible.
    SOURCE_DATE_EPOCH=0 mksquashfs nix ${rootFsScaffold}/* $out/"${pname}_${version}.raw" \
      -quiet -noappend \
      -exit-on-error \
      -keep-as-directory \
      -all-root -root-mode 755 \
      -b ${squash-block-size} -comp ${squash-compression}
  '';
}
