# Shape: multi-output packages as nixpkgs libraries have them: a program from
# the `bin` output through lib.getExe, one output picked for a symlink, and a
# library's `dev` output in `contents` next to its default output.
{ pkgs ? import <nixpkgs> { }, lib ? pkgs.lib }:

let
  demo = pkgs.multiOutputDemo;

  unit = pkgs.writeText "multi.service" ''
    [Unit]
    Description=Runs ${demo.pname} from its ${demo.bin.outputName} output

    [Service]
    Type=oneshot
    ExecStart=${lib.getExe demo}
    Environment=DEMO_DOC=${demo}/share/doc/multi-output-demo/README
  '';
in
pkgs.portableService {
  pname = "multi";
  version = demo.version;
  units = [ unit ];
  contents = [ pkgs.libdemo pkgs.libdemo.dev ];
  symlinks = [
    { object = "${demo.lib}/lib/multi-output-demo.txt"; symlink = "/usr/share/greeting.txt"; }
  ];
}
