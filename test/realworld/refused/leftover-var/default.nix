# Shape (refused by nixpkgs too, at build time): a template with an @var@
# nobody fills in; replaceVars' check fails the unit's build.
{ pkgs ? import <nixpkgs> { } }:

pkgs.portableService {
  pname = "leftover";
  version = "1.0";
  units = [ (pkgs.replaceVars ./leftover.service { hello = pkgs.hello; }) ];
}
