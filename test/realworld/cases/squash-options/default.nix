# Shape: every optional argument spelled out, as generated or templated files
# do: description = null, empty contents and symlinks, a homepage with a query
# and a fragment, and a compression string of several mksquashfs options
# (xz with the x86 BCJ filter and a 50% dictionary) with a 64K block.
{ pkgs ? import <nixpkgs> { } }:
pkgs.portableService {
  pname = "squeeze";
  version = "1";
  description = null;
  homepage = "https://example.invalid/squeeze?a=1&b=2#frag";
  contents = [ ];
  symlinks = [ ];
  units = [ (pkgs.writeText "squeeze.service" "[Service]\nExecStart=${pkgs.hello}/bin/hello\n") ];
  squash-compression = "xz -Xbcj x86 -Xdict-size 50%";
  squash-block-size = "64K";
}
