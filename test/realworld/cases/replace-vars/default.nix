# Shape: the newer uwsgi-app images: `replaceVars` on checked-in unit files
# (no `.in` suffix), `inherit (pkgs) ...` inside the replacement set, a socket
# unit passed through `concatText`, three units, and an extra symlink under
# /usr/bin next to the usual CA bundle and /bin/sh.
{ pkgs ? import <nixpkgs> { } }:

let
  app = pkgs.greeter;

  appConfig = pkgs.replaceVars ./feed.ini {
    greeterBin = "${app}/bin/greeter";
    logTarget = "journal";
  };

  feedService = pkgs.replaceVars ./feed-web.service {
    inherit app appConfig;
    inherit (pkgs) coreutils;
  };

  feedUpdateService = pkgs.replaceVars ./feed-update.service {
    inherit app;
  };

  feedSocket = pkgs.concatText "feed-web.socket" [ ./feed-web.socket ];
in
pkgs.portableService {
  pname = "feed";
  version = app.version or "1.0";
  description = ''Portable "Feed" reader run by a tiny shell program'';
  homepage = "https://example.invalid/feed";

  units = [ feedService feedUpdateService feedSocket ];

  symlinks = [
    { object = "${pkgs.cacert}/etc/ssl"; symlink = "/etc/ssl"; }
    { object = "${pkgs.bash}/bin/bash"; symlink = "/bin/sh"; }
    { object = "${app}/bin/greeter"; symlink = "/usr/bin/greeter"; }
  ];
}
