# nixpkgs' replaceVars / replaceVarsWith: `@name@` in `src` becomes the given
# value. As in nixpkgs the build fails when a name given does not occur in the
# file, and when an `@identifier@` is left over afterwards (a null value keeps
# `@name@` and exempts it from that check).
{ lib, stdenv }:

rec {
  replaceVarsWith =
    { src
    , replacements
    , dir ? null
    , isExecutable ? false
    , ...
    }@attrs:
    let
      substArgs = lib.concatLists (lib.mapAttrsToList (name: value: [
        "--replace-fail"
        (lib.escapeShellArg "@${name}@")
        (lib.escapeShellArg (lib.defaultTo "@${name}@" value))
      ]) replacements);

      keptNames = builtins.attrNames (lib.filterAttrs (_: value: value == null) replacements);

      # A Perl regex: an identifier between @s that is not one of the kept names.
      leftoverRegex =
        let lookahead = if keptNames == [ ] then "" else "(?!${builtins.concatStringsSep "|" keptNames}@)";
        in lib.escapeShellArg "@${lookahead}[a-zA-Z_][0-9A-Za-z_'-]*@";

      forcedAttrs = {
        doCheck = true;
        dontUnpack = true;
        preferLocalBuild = true;
        allowSubstitutes = false;

        buildPhase = ''
          runHook preBuild

          target=$out
          if test -n "$dir"; then
              target=$out/$dir/$name
              mkdir -p $out/$dir
          fi

          substitute "$src" "$target" ${builtins.concatStringsSep " " substArgs}

          if test -n "$isExecutable"; then
              chmod +x $target
          fi

          runHook postBuild
        '';

        checkPhase = ''
          runHook preCheck
          if grep -Pqe ${leftoverRegex} "$target"; then
            echo The following look like unsubstituted Nix identifiers that remain in "$target":
            grep -Poe ${leftoverRegex} "$target"
            echo Use the more precise '`substitute`' function if this check is in error.
            exit 1
          fi
          runHook postCheck
        '';
      };

      passedAttrs =
        if builtins.intersectAttrs attrs forcedAttrs == { }
        then builtins.removeAttrs attrs [ "replacements" ]
        else throw "Passing any of ${builtins.concatStringsSep ", " (builtins.attrNames forcedAttrs)} to replaceVarsWith is not supported.";
    in
    stdenv.mkDerivation ({ name = baseNameOf (toString src); } // passedAttrs // forcedAttrs);

  replaceVars = src: replacements: replaceVarsWith { inherit src replacements; };
}
