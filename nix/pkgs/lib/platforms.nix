# `lib.platforms`: the system lists `meta.platforms` lines refer to.
{ lib }:

rec {
  linux = [ "aarch64-linux" "armv7l-linux" "i686-linux" "powerpc64le-linux" "riscv64-linux" "x86_64-linux" ];
  darwin = [ "aarch64-darwin" "x86_64-darwin" ];
  unix = linux ++ darwin;
  all = unix;
  x86_64 = [ "x86_64-linux" "x86_64-darwin" ];
  aarch64 = [ "aarch64-linux" "aarch64-darwin" ];
}
