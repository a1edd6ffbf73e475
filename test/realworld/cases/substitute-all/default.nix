# Shape: the uwsgi-app images (wallabag, tt-rss): a top-level function with a
# defaulted `pkgs`, a flag argument, legacy `substituteAll` filling @vars@ in a
# checked-in `.service.in` template, and symlinks for a CA bundle and /bin/sh.
{ pkgs ? import <nixpkgs> { }, withJournal ? true }:

let
  logTarget = if withJournal then "journal" else "console";

  ticker = pkgs.writeShellScriptBin "ticker" ''
    while true; do date; sleep 60; done
  '';

  tickerService = pkgs.substituteAll {
    name = "ticker.service";
    src = ./ticker.service.in;
    inherit ticker logTarget;
    coreutils = pkgs.coreutils;
  };
in
pkgs.portableService {
  pname = "ticker";
  version = "0.4.2";
  description = "Prints the time once a minute";
  homepage = "https://example.invalid/ticker";
  units = [ tickerService ];
  symlinks = [
    { object = "${pkgs.cacert}/etc/ssl"; symlink = "/etc/ssl"; }
    { object = "${pkgs.bash}/bin/bash"; symlink = "/bin/sh"; }
  ];
}
