# Shape: symlink paths written as nixpkgs' build script takes them rather than
# as absolute paths: relative to the image root (`bin/sh`), with `./` and
# doubled slashes, through a `..` that stays inside the root (the script's
# `mkdir -p` still makes the directory walked through), and naming an
# existing directory (`ln -s` then puts the link inside it, named after the
# object).
{ pkgs ? import <nixpkgs> { } }:

let
  unit = pkgs.writeText "relative.service" ''
    [Service]
    ExecStart=/bin/sh -c 'exec /usr/bin/env sleep infinity'
  '';
in
pkgs.portableService {
  pname = "relative";
  version = "1.0";
  units = [ unit ];
  symlinks = [
    { object = "${pkgs.bash}/bin/bash"; symlink = "bin/sh"; }
    { object = "${pkgs.coreutils}/bin/env"; symlink = "./usr//bin/env"; }
    { object = "${pkgs.coreutils}/bin/sleep"; symlink = "opt/../usr/bin/sleep"; }
    { object = "${pkgs.cacert}/etc/ssl"; symlink = "etc/"; }
  ];
}
