# Shape: a file that is not a function: it imports <nixpkgs> itself with an
# overlay (`final: prev:`) adding the service's program and patching hello,
# then uses the overlaid set.
let
  pkgs = import <nixpkgs> {
    overlays = [
      (final: prev: {
        chime = final.writeShellScriptBin "chime" ''
          ${final.hello}/bin/hello
          echo ding
        '';
        hello = prev.hello.overrideAttrs (old: {
          version = "${old.version}-patched";
        });
      })
    ];
  };
in
pkgs.portableService {
  pname = "chime";
  version = "1.1";
  units = [
    (pkgs.writeText "chime.service" ''
      [Service]
      Type=oneshot
      ExecStart=${pkgs.chime}/bin/chime
    '')
  ];
  symlinks = [
    { object = "${pkgs.hello}/bin/hello"; symlink = "/bin/hello"; }
  ];
}
