# `lib.generators`: configuration-file text from Nix values. `toKeyValue` must be
# byte-exact, since portableService writes /etc/os-release with it.
{ lib }:

rec {
  # Scalars become their usual text; strings are not quoted. Lists, sets and
  # functions have no default form and abort, as in nixpkgs.
  mkValueStringDefault = { }: v:
    let err = t: abort "generators.mkValueStringDefault: ${t} not supported: ${toPretty { } v}"; in
    if builtins.isInt v then toString v
    else if lib.isDerivation v then toString v
    else if builtins.isString v then v
    else if true == v then "true"
    else if false == v then "false"
    else if null == v then "null"
    else if builtins.isList v then err "lists"
    else if builtins.isAttrs v then err "attrsets"
    else if lib.isFunction v then err "functions"
    else if builtins.isFloat v then toString v
    else if builtins.isPath v then toString v
    else err "this value is";

  mkKeyValueDefault = { mkValueString ? mkValueStringDefault { } }: sep: k: v:
    "${lib.escape [ sep ] k}${sep}${mkValueString v}";

  toKeyValue =
    { mkKeyValue ? mkKeyValueDefault { } "="
    , listsAsDuplicateKeys ? false
    , indent ? ""
    }:
    let
      mkLine = k: v: indent + mkKeyValue k v + "\n";
      mkLines =
        if listsAsDuplicateKeys
        then k: v: map (mkLine k) (if builtins.isList v then v else [ v ])
        else k: v: [ (mkLine k v) ];
    in
    attrs: lib.concatStrings (builtins.concatLists (lib.mapAttrsToList mkLines attrs));

  toINI =
    { mkSectionName ? (name: lib.escape [ "[" "]" ] name)
    , mkKeyValue ? mkKeyValueDefault { } "="
    , listsAsDuplicateKeys ? false
    }:
    attrsOfAttrs:
    let
      mkSection = sectName: sectValues:
        "[${mkSectionName sectName}]\n" + toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } sectValues;
    in
    builtins.concatStringsSep "\n" (lib.mapAttrsToList mkSection attrsOfAttrs);

  # Nix-like text of a value, for messages: strings quoted (multi-line ones as
  # '' blocks), lists and sets spread over lines unless `multiline = false`.
  toPretty = { allowPrettyValues ? false, multiline ? true, indent ? "" }:
    let
      go = indent: v:
        let
          introSpace = if multiline then "\n${indent}  " else " ";
          outroSpace = if multiline then "\n${indent}" else " ";
        in
        if builtins.isInt v then toString v
        else if builtins.isFloat v then toString v
        else if builtins.isString v then
          let
            lines = builtins.filter (l: !builtins.isList l) (builtins.split "\n" v);
            escapeSingleline = lib.escape [ "\\" "\"" "\${" ];
            escapeMultiline = builtins.replaceStrings [ "\${" "''" ] [ "''\${" "'''" ];
            singlelineResult = "\"" + builtins.concatStringsSep "\\n" (map escapeSingleline lines) + "\"";
            multilineResult =
              let
                escapedLines = map escapeMultiline lines;
                lastLine = lib.last escapedLines;
              in
              "''" + introSpace + builtins.concatStringsSep introSpace (lib.init escapedLines)
              + (if lastLine == "" then outroSpace else introSpace + lastLine) + "''";
          in
          if multiline && builtins.length lines > 1 then multilineResult else singlelineResult
        else if true == v then "true"
        else if false == v then "false"
        else if null == v then "null"
        else if builtins.isPath v then toString v
        else if builtins.isList v then
          if v == [ ] then "[ ]"
          else "[" + introSpace + builtins.concatStringsSep introSpace (map (go (indent + "  ")) v) + outroSpace + "]"
        else if lib.isFunction v then
          let
            fna = lib.functionArgs v;
            showFnas = builtins.concatStringsSep ", " (lib.mapAttrsToList (name: hasDefault: if hasDefault then name + "?" else name) fna);
          in
          if fna == { } then "<function>" else "<function, args: {${showFnas}}>"
        else if builtins.isAttrs v then
          if allowPrettyValues && v ? __pretty && v ? val then v.__pretty v.val
          else if v == { } then "{ }"
          else if lib.isDerivation v then "<derivation ${v.name or "???"}>"
          else
            "{" + introSpace
            + builtins.concatStringsSep introSpace (lib.mapAttrsToList
              (name: value: "${lib.escapeNixIdentifier name} = ${go (indent + "  ") value};") v)
            + outroSpace + "}"
        else abort "generators.toPretty: should never happen (v = ${builtins.typeOf v})";
    in
    go indent;

  toJSON = { }: builtins.toJSON;
  # YAML is a superset of JSON, which is how nixpkgs writes it too.
  toYAML = { }: builtins.toJSON;
}
