{ lib, writeShellScriptBin, greeting ? "Hello" }:

writeShellScriptBin "moin" ''
  echo ${lib.escapeShellArg "${greeting}!"}
''
