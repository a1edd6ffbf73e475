# Shape: one image from several service folders, each a callPackage-style
# file returning `{ service = <unit>; }`, called through a `newScope` that
# adds the image's name; lz4 compression and a CA bundle symlink.
{ pkgs ? import <nixpkgs> { } }:

let
  serviceName = "edge";
  callPackage = pkgs.newScope { inherit serviceName; };
  callService = path: (callPackage path { }).service;
in
pkgs.portableService {
  pname = serviceName;
  version = "dev";
  units = [
    (callService ./relay)
    (callService ./resolver)
  ];
  symlinks = [ { object = "${pkgs.cacert}/etc/ssl"; symlink = "/etc/ssl"; } ];
  squash-compression = "lz4";
}
