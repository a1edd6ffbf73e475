# Shape: a second package set imported from the first one's root
# (`import pkgs.path { overlays = ...; }`, as files do to re-instantiate
# nixpkgs with other arguments) and lib taken from `import <nixpkgs/lib>`.
{ pkgs ? import <nixpkgs> { }, lib ? import <nixpkgs/lib> }:

let
  tuned = import pkgs.path {
    overlays = [ (final: prev: { marker = final.writeText "tuned-marker" "tuned\n"; }) ];
  };
in
tuned.portableService {
  pname = "tuned";
  version = lib.concatStringsSep "." (lib.splitString "-" "1-2-3");
  units = [
    (tuned.writeText "tuned.service" ''
      [Service]
      ExecStart=${tuned.hello}/bin/hello ${tuned.marker}
    '')
  ];
}
