{ serviceName, lib, writeTextFile, hello }:

{
  service = writeTextFile {
    name = "${serviceName}-resolver.service";
    text = ''
      [Service]
      ExecStart=${lib.getExe hello}
      Restart=on-failure
    '';
  };
}
