# Shape: unit text that leans on Nix's string escapes, as units with shell
# snippets do: `''${VAR}` and `'''` in indented strings, `\${` and `\t` in
# double-quoted ones, `$$` and systemd's `%i`/`%%` specifiers, a line with
# trailing spaces, a blank-line run; plus a path literal as a symlink object
# and a symlink deep under /usr/local.
{ pkgs ? import <nixpkgs> { } }:

let
  inherit (pkgs) lib;
  name = "quoting";
  quoted = "say \"hi\"\tthen \${HOME} and $$";

  unit = pkgs.writeText "${name}.service" (''
    [Unit]
    Description=Quoting test for %i (100%% literal)

    [Service]
    Environment="GREETING=''${GREETING:-hello}"
    ExecStart=${pkgs.bash}/bin/bash -c 'echo "''${GREETING}" '''quoted''' $$PPID'
    ExecStartPost=${pkgs.bash}/bin/bash -c ${lib.escapeShellArg quoted}
    ExecStop=/bin/kill -s TERM $MAINPID   


    # a comment with a tab:	and a backslash \ here
  '' + "Environment=\"PATH=${lib.makeBinPath [ pkgs.coreutils ]}\"\n");
in
pkgs.portableService {
  pname = name;
  version = "1.0";
  units = [ unit ];
  symlinks = [
    { object = ./banner.txt; symlink = "/etc/banner"; }
    { object = "${pkgs.hello}/bin/hello"; symlink = "/usr/local/lib/quoting/bin/hello"; }
  ];
}
