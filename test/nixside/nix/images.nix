# portableService images built by the nixside tests with real nix-build.
# `demo` is the nixpkgs manual's demo: a small shell program behind a
# socket-activated service, with nixpkgs' defaults (xz, 1M blocks). `extras`
# uses what the demo does not: symlinks, contents, another compression and
# block size, the older `squashfsTools` argument name, description and homepage.
let
  pkgs = import <nixpkgs> { };

  demo-program = pkgs.writeShellScriptBin "demo" ''
    echo "Hello from the demo portable service"
  '';

  demo-service = pkgs.writeText "demo.service" ''
    [Unit]
    Description=demo service
    Requires=demo.socket

    [Service]
    ExecStart=${demo-program}/bin/demo
    StandardInput=socket
    DynamicUser=true
  '';

  demo-socket = pkgs.writeText "demo.socket" ''
    [Unit]
    Description=demo socket

    [Socket]
    ListenStream=/run/demo.sock
    SocketMode=0666

    [Install]
    WantedBy=sockets.target
  '';

  extras-service = pkgs.writeText "extras.service" ''
    [Service]
    ExecStart=${pkgs.lib.getExe pkgs.hello}
  '';
in
{
  inherit demo-program;

  demo = pkgs.portableService {
    pname = "demo";
    version = "1.0";
    units = [ demo-service demo-socket ];
  };

  extras = pkgs.portableService {
    pname = "extras";
    version = "2.1";
    description = "Extras: symlinks and contents";
    homepage = "https://example.org/extras";
    units = [ extras-service ];
    symlinks = [
      { object = "${pkgs.cacert}/etc/ssl"; symlink = "/etc/ssl"; }
      { object = "${pkgs.bash}/bin/bash"; symlink = "/usr/local/bin/bash"; }
    ];
    contents = [ pkgs.libdemo ];
    squashfsTools = pkgs.squashfs-tools;
    squash-compression = "gzip -Xcompression-level 6";
    squash-block-size = "128K";
  };

  badUnitName = pkgs.portableService {
    pname = "demo";
    version = "1.0";
    units = [ (pkgs.writeText "other.service" "") ];
  };
}
