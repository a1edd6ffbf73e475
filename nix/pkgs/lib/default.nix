# So that this directory can stand for nixpkgs itself (`-I nixpkgs=nix/pkgs`):
# `import <nixpkgs/lib>` then reaches the stand-in lib, as in a nixpkgs checkout.
import ../../lib
