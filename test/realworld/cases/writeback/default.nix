# Shape: values made in the user's file handed to package-set functions:
# a writeShellScriptBin and a writeText inside buildEnv's paths and an
# overrideAttrs whose new build step refers to them and calls a local helper
# function; symlinkJoin with a postBuild adding a link to a local config.
{ pkgs ? import <nixpkgs> { } }:

let
  inherit (pkgs) lib;
  banner = pkgs.writeText "relay-banner" "relay ready\n";
  relayBin = pkgs.writeShellScriptBin "relay" ''
    cat ${banner}
    exec ${pkgs.coreutils}/bin/sleep infinity
  '';
  mkLine = k: v: "${k}=${toString v}";

  env = pkgs.buildEnv {
    name = "relay-env";
    paths = [ relayBin pkgs.hello ];
  };

  patched = env.overrideAttrs (old: {
    buildCommand = old.buildCommand + ''
      mkdir -p $out/etc
      echo ${lib.escapeShellArg (mkLine "banner" banner)} > $out/etc/relay.conf
      echo ${lib.escapeShellArg (lib.concatStringsSep "," (map (mkLine "port") [ 1 2 ]))} >> $out/etc/relay.conf
    '';
  });

  joined = pkgs.symlinkJoin {
    name = "relay-joined";
    paths = [ patched relayBin ];
    postBuild = ''
      ln -s ${./relay.conf} $out/relay-local.conf
    '';
  };
in
pkgs.portableService {
  pname = "relay";
  version = "0.3";
  units = [
    (pkgs.writeText "relay.service" ''
      [Service]
      ExecStart=${joined}/bin/relay
      Environment=RELAY_CONF=${patched}/etc/relay.conf
    '')
  ];
  contents = [ joined ];
}
