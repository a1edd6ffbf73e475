# Shape: data shipped through `contents`: a linkFarm of named entries, a
# writeTextDir tree and a runCommandLocal result; a non-ASCII description
# and homepage in os-release; a path unit next to its service.
{ pkgs ? import <nixpkgs> { } }:

let
  data = pkgs.linkFarm "cafe-data" [
    { name = "share/cafe/menu.txt"; path = pkgs.writeText "menu.txt" "espresso\nflat white\n"; }
    { name = "bin/hello"; path = "${pkgs.hello}/bin/hello"; }
  ];

  defaults = pkgs.writeTextDir "etc/cafe/defaults.conf" ''
    greeting=Grüß Gott
  '';

  stamp = pkgs.runCommandLocal "cafe-stamp" { } ''
    mkdir -p $out/share/cafe
    echo "built with ${pkgs.hello.name}" > $out/share/cafe/stamp
  '';

  service = pkgs.writeText "cafe.service" ''
    [Service]
    Type=oneshot
    ExecStart=${data}/bin/hello
  '';

  path = pkgs.writeText "cafe.path" ''
    [Path]
    PathChanged=/var/lib/cafe/orders
    Unit=cafe.service
  '';
in
pkgs.portableService {
  pname = "cafe";
  version = "1.0";
  description = "Café ☕ — orders über alles";
  homepage = "https://example.invalid/café";
  units = [ service path ];
  contents = [ data defaults stamp ];
}
