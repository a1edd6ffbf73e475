# Shape: the old style: `with import <nixpkgs> { };` at the top, a local
# package file brought in with callPackage and an argument, `inherit (pkgs)`
# through the `with`, and the image inside an attribute set of one, which
# nix-build builds without -A.
with import <nixpkgs> { };

let
  inherit (pkgs) writeText;
  tool = callPackage ./tool.nix { greeting = "Moin"; };
in
{
  image = portableService {
    pname = "moin";
    version = "1";
    units = [
      (writeText "moin.service" ''
        [Service]
        Type=oneshot
        ExecStart=${lib.getExe tool}
      '')
    ];
  };
}
