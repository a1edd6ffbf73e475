# Shape: a package adjusted with `overrideAttrs (old: { ... })` whose new
# attributes read the old ones (pname, the build script, passthru), then run
# from a unit; the image uses gzip with a 128K block like small images do.
{ pkgs ? import <nixpkgs> { } }:

let
  loudHello = pkgs.hello.overrideAttrs (old: {
    pname = "${old.pname}-loud";
    buildCommand = old.buildCommand + ''
      printf '#!%s\n%s/bin/hello | tr a-z A-Z\n' ${pkgs.runtimeShell} $out > $out/bin/hello-loud
      chmod +x $out/bin/hello-loud
    '';
    passthru = (old.passthru or { }) // { loud = true; };
  });

  unit = pkgs.writeText "loud.service" ''
    [Unit]
    Description=Shouts hello (${loudHello.name})

    [Service]
    Type=oneshot
    ExecStart=${loudHello}/bin/hello-loud
  '';
in
pkgs.portableService {
  pname = "loud";
  version = loudHello.version;
  units = [ unit ];
  squash-compression = "gzip -Xcompression-level 6";
  squash-block-size = "128K";
}
