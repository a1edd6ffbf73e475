# Shape: the program defined in a sibling file imported with
# `import ./app.nix { inherit pkgs; }` (not callPackage), units chosen with
# lib.optional/optionals from boolean arguments (a socket only when asked,
# flipped here with --arg in the test), symlinks made with `map`.
{ pkgs ? import <nixpkgs> { }, withSocket ? false, withTools ? true }:

let
  inherit (pkgs) lib;
  app = import ./app.nix { inherit pkgs; };

  service = pkgs.writeText "notes.service" ''
    [Unit]
    Description=Notes
    ${lib.optionalString withSocket "Requires=notes.socket"}

    [Service]
    ExecStart=${app}/bin/notes
  '';

  socket = pkgs.writeText "notes.socket" ''
    [Socket]
    ListenStream=8123
  '';

  tools = [ pkgs.hello pkgs.greeter ];
in
pkgs.portableService {
  pname = "notes";
  version = "1.0";
  units = [ service ] ++ lib.optional withSocket socket;
  contents = lib.optionals withTools tools;
  symlinks = map (p: { object = "${p}/bin/${p.pname or p.name}"; symlink = "/usr/bin/${p.pname or p.name}"; }) tools;
}
