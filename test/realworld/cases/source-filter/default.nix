# Shape: sources filtered before they reach the store, as packages written
# next to a repository's code do: builtins.filterSource with a lambda, and
# builtins.path with a name and a filter, both used from a runCommand.
{ pkgs ? import <nixpkgs> { } }:

let
  scripts = builtins.filterSource
    (path: type: type == "directory" || builtins.match ".*\\.sh" (baseNameOf path) != null)
    ./src;

  docs = builtins.path {
    name = "janitor-docs";
    path = ./src;
    filter = path: type: pkgs.lib.hasSuffix ".md" path;
  };

  janitor = pkgs.runCommand "janitor-1.0" { } ''
    mkdir -p $out/bin $out/share/doc
    cp ${scripts}/*.sh $out/bin/
    chmod +x $out/bin/*.sh
    cp ${docs}/*.md $out/share/doc/
  '';

  unit = pkgs.writeText "janitor.service" ''
    [Service]
    Type=oneshot
    ExecStart=${pkgs.bash}/bin/bash ${janitor}/bin/clean.sh
  '';

  timer = pkgs.writeText "janitor.timer" ''
    [Timer]
    OnCalendar=hourly
  '';
in
pkgs.portableService {
  pname = "janitor";
  version = "1.0";
  units = [ unit timer ];
}
