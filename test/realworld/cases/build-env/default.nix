# Shape: a service whose tools come from one `buildEnv` profile, with the
# profile's bin linked at /bin and /usr/bin inside the image and the profile
# also put in `contents`, so an operator has a shell and coreutils there.
{ pkgs ? import <nixpkgs> { } }:

let
  toolbox = pkgs.buildEnv {
    name = "toolbox-env";
    paths = with pkgs; [ bash coreutils hello ];
    pathsToLink = [ "/bin" ];
  };

  service = pkgs.writeText "toolbox.service" ''
    [Unit]
    Description=Runs a script with the toolbox on PATH

    [Service]
    Type=oneshot
    Environment=PATH=${toolbox}/bin
    ExecStart=${toolbox}/bin/bash -c 'hello; date; uname -a'
  '';
in
pkgs.portableService {
  pname = "toolbox";
  version = "3";
  units = [ service ];
  contents = [ toolbox ];
  symlinks = [
    { object = "${toolbox}/bin"; symlink = "/bin"; }
    { object = "${toolbox}/bin"; symlink = "/usr/bin"; }
  ];
}
