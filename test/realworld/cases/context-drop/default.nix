# Shape: store paths that reach a unit through operations that drop Nix's
# string context: builtins.match and builtins.split (whose results carry no
# context in Nix), and unsafeDiscardStringContext (used on purpose to keep a
# package out of an image); builtins.substring keeps it. nixpkgs' image then
# holds only what still has context; tsportable must give the same image.
{ pkgs ? import <nixpkgs> { } }:

let
  helloExe = "${pkgs.hello}/bin/hello";
  helloDir = builtins.head (builtins.match "(.*)/bin/hello" helloExe);
  coreutilsDir = builtins.head (builtins.split "/bin" "${pkgs.coreutils}/bin/true");
  demoExe = builtins.substring 0 200 "${pkgs.multiOutputDemo.bin}/bin/multi-output-demo";
  hostGreeter = builtins.unsafeDiscardStringContext "${pkgs.greeter}/bin/greeter";
in
pkgs.portableService {
  pname = "contextless";
  version = "1";
  units = [
    (pkgs.writeText "contextless.service" ''
      [Service]
      ExecStart=${helloDir}/bin/hello
      ExecStartPre=${coreutilsDir}/bin/true
      ExecStartPost=${demoExe}
      ExecStop=${hostGreeter}
    '')
  ];
}
