# nixpkgs' trivial builders (runCommand, writeTextFile and its shorthands,
# concatText, symlinkJoin) with nixpkgs' arguments, derivation attributes and
# output layout, written for the stand-in package set. Their build scripts
# are written anew but do what nixpkgs' do, so outputs have the same contents.
{ lib, stdenv, runtimeShell, lndir }:

rec {
  runCommandWith =
    { stdenv ? stdenvDefault
    , runLocal ? false
    , derivationArgs ? { }
    , name
    }:
    buildCommand:
    stdenv.mkDerivation (
      {
        enableParallelBuilding = true;
        inherit buildCommand name;
        passAsFile = [ "buildCommand" ] ++ (derivationArgs.passAsFile or [ ]);
      }
      // lib.optionalAttrs runLocal {
        preferLocalBuild = true;
        allowSubstitutes = false;
      }
      // builtins.removeAttrs derivationArgs [ "passAsFile" ]
    );
  stdenvDefault = stdenv;

  runCommand = name: env: runCommandWith { inherit name; derivationArgs = env; };
  runCommandLocal = name: env: runCommandWith { inherit name; runLocal = true; derivationArgs = env; };
  runCommandCC = runCommand;
  runCommandNoCC = runCommand;
  runCommandNoCCLocal = runCommandLocal;

  writeTextFile =
    { name
    , text
    , executable ? false
    , destination ? ""
    , checkPhase ? ""
    , meta ? { }
    , passthru ? { }
    , allowSubstitutes ? false
    , preferLocalBuild ? true
    , derivationArgs ? { }
    }:
    assert lib.assertMsg (destination != "" -> (lib.hasPrefix "/" destination && destination != "/")) ''
      destination must be an absolute path, relative to the derivation's out path,
      got '${destination}' instead.

      Ensure that the path starts with a / and specifies at least the filename.
    '';
    let
      binName = builtins.match "/bin/([^/]+)" destination;
    in
    runCommand name
      ({
        inherit text executable checkPhase allowSubstitutes preferLocalBuild;
        passAsFile = [ "text" ] ++ derivationArgs.passAsFile or [ ];
        meta = lib.optionalAttrs (executable && binName != null) { mainProgram = builtins.head binName; }
          // meta // derivationArgs.meta or { };
        passthru = passthru // derivationArgs.passthru or { };
      }
      // builtins.removeAttrs derivationArgs [ "passAsFile" "meta" "passthru" ])
      ''
        target=$out${lib.escapeShellArg destination}
        mkdir -p "$(dirname "$target")"

        if [ -e "$textPath" ]; then
          mv "$textPath" "$target"
        else
          echo -n "$text" > "$target"
        fi

        if [ -n "$executable" ]; then
          chmod +x "$target"
        fi

        eval "$checkPhase"
      '';

  writeText = name: text:
    assert lib.assertMsg (lib.strings.isConvertibleWithToString text)
      "pkgs.writeText ${lib.strings.escapeNixString name}: The second argument should be a string, but it's a ${builtins.typeOf text} instead.";
    lib.warnIf (!builtins.isString text)
      "pkgs.writeText ${lib.strings.escapeNixString name}: the second argument is a ${builtins.typeOf text}, not a string; this is deprecated, convert it with `toString` first."
      writeTextFile { inherit name; text = toString text; };

  writeTextDir = path: text:
    writeTextFile {
      inherit text;
      name = builtins.baseNameOf path;
      destination = "/${path}";
    };

  writeScript = name: text: writeTextFile { inherit name text; executable = true; };

  writeScriptBin = name: text:
    writeTextFile { inherit name text; executable = true; destination = "/bin/${name}"; };

  # The script is its text after a shebang line naming the set's runtimeShell.
  writeShellScript = name: text:
    writeTextFile {
      inherit name;
      executable = true;
      text = ''
        #!${runtimeShell}
        ${text}
      '';
      checkPhase = ''
        ${stdenv.shellDryRun} "$target"
      '';
    };

  writeShellScriptBin = name: text:
    writeTextFile {
      inherit name;
      executable = true;
      destination = "/bin/${name}";
      text = ''
        #!${runtimeShell}
        ${text}
      '';
      checkPhase = ''
        ${stdenv.shellDryRun} "$target"
      '';
      meta.mainProgram = name;
    };

  concatTextFile =
    { name
    , files
    , executable ? false
    , destination ? ""
    , checkPhase ? ""
    , meta ? { }
    , passthru ? { }
    }:
    runCommandLocal name { inherit files executable checkPhase meta passthru destination; } ''
      file=$out$destination
      mkdir -p "$(dirname "$file")"
      cat $files > "$file"

      if [ -n "$executable" ]; then
        chmod +x "$file"
      fi

      eval "$checkPhase"
    '';

  concatText = name: files: concatTextFile { inherit name files; };
  concatScript = name: files: concatTextFile { inherit name files; executable = true; };

  symlinkJoin =
    args_@{ name ?
        assert lib.assertMsg (args_ ? pname && args_ ? version)
          "symlinkJoin requires either a `name` OR `pname` and `version`";
        "${args_.pname}-${args_.version}"
    , paths
    , stripPrefix ? ""
    , preferLocalBuild ? true
    , allowSubstitutes ? false
    , postBuild ? ""
    , failOnMissing ? stripPrefix == ""
    , ...
    }:
    assert lib.assertMsg (stripPrefix != "" -> (lib.hasPrefix "/" stripPrefix && stripPrefix != "/")) ''
      stripPrefix must be either an empty string (disable stripping behavior), or relative path prefixed with /.

      Ensure that the path starts with / and specifies path to the subdirectory.
    '';
    let
      mapPaths = f: map (path: if path == null then null else if builtins.isList path then mapPaths f path else f path);
      args = builtins.removeAttrs args_ [ "name" "postBuild" "stripPrefix" "paths" "failOnMissing" ] // {
        inherit preferLocalBuild allowSubstitutes;
        paths = mapPaths (path: "${path}${stripPrefix}") paths;
        passAsFile = [ "paths" ];
      };
    in
    runCommand name args ''
      mkdir -p $out
      for i in $(cat $pathsPath); do
        ${lib.optionalString (!failOnMissing) "if test -d $i; then "}${lndir}/bin/lndir -silent $i $out${lib.optionalString (!failOnMissing) "; fi"}
      done
      ${postBuild}
    '';

  linkFarm = name: entries:
    let
      entries' =
        if builtins.isAttrs entries then entries
        else if builtins.isList entries then builtins.foldl' (a: b: a // { "${b.name}" = b.path; }) { } entries
        else throw "linkFarm entries must be either attrs or a list!";
      linkCommands = lib.mapAttrsToList (name: path: ''
        mkdir -p -- "$(dirname -- ${lib.escapeShellArg "${name}"})"
        ln -s -- ${lib.escapeShellArg "${path}"} ${lib.escapeShellArg "${name}"}
      '') entries';
    in
    runCommand name { preferLocalBuild = true; allowSubstitutes = false; passthru.entries = entries'; } ''
      mkdir -p $out
      cd $out
      ${lib.concatStrings linkCommands}
    '';

  linkFarmFromDrvs = name: drvs: linkFarm name (map (drv: { name = drv.name; path = drv; }) drvs);
}
