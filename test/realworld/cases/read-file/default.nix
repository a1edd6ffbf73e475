# Shape: unit text kept in checked-in files and read at evaluation time:
# builtins.readFile with replaceStrings, lib.fileContents, concatText of two
# fragments, and the older `squashfsTools` argument name.
{ pkgs ? import <nixpkgs> { } }:

let
  inherit (pkgs) lib;

  template = builtins.readFile ./clock.service;
  service = pkgs.writeText "clock.service"
    (builtins.replaceStrings [ "DATE" "SHELL" ] [ "${pkgs.coreutils}/bin/date" pkgs.runtimeShell ] template);

  socket = pkgs.concatText "clock.socket" [ ./socket-head.conf ./socket-listen.conf ];

  motd = pkgs.writeText "clock-motd" (lib.fileContents ./motd.txt + "\n");
in
pkgs.portableService {
  pname = "clock";
  version = lib.fileContents ./VERSION;
  description = lib.fileContents ./motd.txt;
  units = [ service socket ];
  symlinks = [ { object = motd; symlink = "/etc/motd"; } ];
  squashfsTools = pkgs.squashfsTools;
}
