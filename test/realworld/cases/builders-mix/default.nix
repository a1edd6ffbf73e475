# Shape: the less common trivial builders and lib plumbing seen in service
# files: lib.makeOverridable around a local unit maker then `.override`,
# writeTextFile with executable + destination, writeScriptBin,
# concatTextFile, appendOverlays, lib.versions/getName/concatLines, and
# mapAttrs' building Environment lines.
{ pkgs ? import <nixpkgs> { } }:

let
  pkgs' = pkgs.appendOverlays [
    (final: prev: { siren = final.writeScriptBin "siren" "#!${final.runtimeShell}\necho wee-woo\n"; })
  ];
  inherit (pkgs') lib;

  tool = pkgs'.writeTextFile {
    name = "siren-check";
    executable = true;
    destination = "/bin/siren-check";
    text = ''
      #!${pkgs'.runtimeShell}
      ${pkgs'.siren}/bin/siren | ${pkgs'.coreutils}/bin/wc -c
    '';
  };

  env = lib.mapAttrs' (k: v: lib.nameValuePair "SIREN_${lib.toUpper k}" (toString v)) { volume = 11; pitch = "high"; };

  mkUnit = lib.makeOverridable ({ suffix, extra ? "" }: pkgs'.writeText "siren${suffix}.service" (lib.concatLines ([
    "[Service]"
    "ExecStart=${tool}/bin/siren-check"
  ] ++ lib.mapAttrsToList (k: v: "Environment=${k}=${v}") env ++ lib.optional (extra != "") extra)));

  base = mkUnit { suffix = ""; };
  loud = base.override { suffix = "-loud"; extra = "Nice=-5"; };

  notes = pkgs'.concatTextFile {
    name = "siren-notes";
    files = [ ./notes-a.txt ./notes-b.txt ];
    destination = "/share/siren/NOTES";
  };

  version = "4.12.7";
in
pkgs'.portableService {
  pname = "siren";
  version = "${lib.versions.majorMinor version}-${lib.getName pkgs'.siren}";
  units = [ base loud ];
  contents = [ notes ];
  symlinks = [ { object = "${tool}/bin/siren-check"; symlink = "/bin/siren-check"; } ];
}
