# Shape: the nixpkgs manual's example, a package-style file whose arguments
# callPackage fills (`lib`, `writeText`, `portableService`, `hello`), built
# from a small default.nix.
{ pkgs ? import <nixpkgs> { } }:

pkgs.callPackage ./service.nix { }
