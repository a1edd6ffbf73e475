{ lib
, writeText
, portableService
, hello
}:

let
  hello-unit = writeText "hello.service" ''
    [Unit]
    Description=Greets once and exits

    [Service]
    Type=oneshot
    ExecStart=${lib.getExe hello}
  '';
in
portableService {
  pname = "hello";
  inherit (hello) version;
  units = [ hello-unit ];
}
