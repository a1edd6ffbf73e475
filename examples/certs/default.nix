# A service that expects TLS certificates and a POSIX shell at the places a
# traditional distribution has them: symlinks put them there inside the image.
{ pkgs ? import <nixpkgs> { } }:

let
  fetcher = pkgs.writeShellScript "certs-check" ''
    # Shows that the certificate bundle is where legacy programs look for it.
    test -s /etc/ssl/certs/ca-bundle.crt && echo "CA bundle present"
  '';

  service = pkgs.writeText "certs-check.service" ''
    [Unit]
    Description=Checks the CA bundle inside the image

    [Service]
    Type=oneshot
    ExecStart=/bin/sh ${fetcher}
  '';
in
pkgs.portableService {
  pname = "certs-check";
  version = "0.3.1";
  homepage = "https://example.org/certs-check";
  units = [ service ];
  symlinks = [
    { object = "${pkgs.cacert}/etc/ssl"; symlink = "/etc/ssl"; }
    { object = "${pkgs.bash}/bin/bash"; symlink = "/bin/sh"; }
  ];
}
