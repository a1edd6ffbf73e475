# String functions of nixpkgs' `lib.strings`. Results keep the string context of
# their inputs (`splitString` re-attaches it to every piece, as nixpkgs does), so
# a store path that flows through them still reaches the closure.
{ lib }:

let
  inherit (builtins) stringLength substring replaceStrings concatStringsSep genList isString;
in
rec {
  inherit (builtins) stringLength substring replaceStrings concatStringsSep isString toString match split;

  concatStrings = concatStringsSep "";
  concatMapStrings = f: list: concatStrings (map f list);
  concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
  concatImapStringsSep = sep: f: list: concatStringsSep sep (lib.imap1 f list);
  concatImapStrings = f: list: concatStrings (lib.imap1 f list);
  concatLines = list: concatMapStrings (s: s + "\n") list;
  intersperse = separator: list:
    if list == [ ] || builtins.length list == 1 then list
    else builtins.tail (lib.concatMap (x: [ separator x ]) list);

  optionalString = cond: string: if cond then string else "";

  hasPrefix = pref: str: substring 0 (stringLength pref) str == pref;
  hasSuffix = suffix: content:
    let
      lenContent = stringLength content;
      lenSuffix = stringLength suffix;
    in
    lenContent >= lenSuffix && substring (lenContent - lenSuffix) lenContent content == suffix;
  hasInfix = infix: content:
    builtins.match ".*${escapeRegex infix}.*" "${content}" != null;

  removePrefix = prefix: str:
    let preLen = stringLength prefix; in
    if substring 0 preLen str == prefix
    then substring preLen (stringLength str - preLen) str
    else str;
  removeSuffix = suffix: str:
    let
      sufLen = stringLength suffix;
      sLen = stringLength str;
    in
    if sufLen <= sLen && suffix == substring (sLen - sufLen) sufLen str
    then substring 0 (sLen - sufLen) str
    else str;

  stringToCharacters = s: genList (p: substring p 1 s) (stringLength s);
  stringAsChars = f: s: concatStrings (map f (stringToCharacters s));

  lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
  upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  toLower = replaceStrings upperChars lowerChars;
  toUpper = replaceStrings lowerChars upperChars;

  escape = list: replaceStrings list (map (c: "\\${c}") list);
  escapeRegex = escape (stringToCharacters "\\[{()^$?*+|.");

  # Quoting is skipped for words made only of characters no shell treats specially.
  escapeShellArg = arg:
    let string = toString arg; in
    if builtins.match "[[:alnum:],._+:@%/-]+" string == null
    then "'${replaceStrings [ "'" ] [ "'\\''" ] string}'"
    else string;
  escapeShellArgs = concatMapStringsSep " " escapeShellArg;

  escapeNixString = s: escape [ "$" ] (builtins.toJSON s);
  escapeNixIdentifier = s:
    if builtins.match "[a-zA-Z_][a-zA-Z0-9_'-]*" s != null then s else escapeNixString s;

  # Context of `src` carried over to `target`, without changing its text.
  addContextFrom = src: target: substring 0 0 src + target;

  splitString = sep: s:
    let pieces = builtins.filter isString (builtins.split (escapeRegex (toString sep)) (toString s));
    in map (addContextFrom s) pieces;

  trim = trimWith { start = true; end = true; };
  trimWith = { start ? false, end ? false }: s:
    let
      regex =
        if start && end then "[[:space:]]*(.*[^[:space:]])[[:space:]]*"
        else if start then "[[:space:]]*(.*)"
        else if end then "(.*[^[:space:]])[[:space:]]*"
        else "(.*)";
      m = builtins.match regex s;
    in
    if m == null then "" else builtins.head m;

  fixedWidthString = width: filler: str:
    let strw = stringLength str; reqWidth = width - (stringLength filler); in
    assert lib.assertMsg (strw <= width) "fixedWidthString: requested string length (${toString width}) must not be shorter than actual length (${toString strw})";
    if strw == width then str else filler + fixedWidthString reqWidth filler str;
  fixedWidthNumber = width: n: fixedWidthString width "0" (toString n);

  makeSearchPath = subDir: paths:
    concatStringsSep ":" (map (path: path + "/" + subDir) (builtins.filter (x: x != null) paths));
  makeSearchPathOutput = output: subDir: pkgs: makeSearchPath subDir (map (lib.getOutput output) pkgs);
  makeBinPath = makeSearchPathOutput "bin" "bin";
  makeLibraryPath = makeSearchPathOutput "lib" "lib";

  versionOlder = v1: v2: builtins.compareVersions v2 v1 == 1;
  versionAtLeast = v1: v2: !(versionOlder v1 v2);

  getName = x:
    let parse = drv: (builtins.parseDrvName drv).name; in
    if isString x then parse x else x.pname or (parse x.name);
  getVersion = x:
    let parse = drv: (builtins.parseDrvName drv).version; in
    if isString x then parse x else x.version or (parse x.name);

  nameFromURL = url: sep:
    let
      components = splitString "/" url;
      filename = lib.last components;
      name = builtins.head (splitString sep filename);
    in
    assert name != filename; name;

  enableFeature = flag: name: "--${if flag then "enable" else "disable"}-${name}";
  withFeature = flag: name: "--${if flag then "with" else "without"}-${name}";

  isStorePath = x:
    if isString x || builtins.isPath x || (builtins.isAttrs x && x ? outPath) then
      let str = toString x; in
      builtins.substring 0 1 str == "/"
      && dirOf str == builtins.storeDir
    else false;

  isConvertibleWithToString = x:
    isString x || builtins.isPath x || builtins.isInt x || builtins.isFloat x || builtins.isBool x || x == null
    || (builtins.isAttrs x && (x ? outPath || x ? __toString))
    || (builtins.isList x && builtins.all isConvertibleWithToString x);

  toInt = str:
    let m = builtins.match "[[:space:]]*(-?[0-9]+)[[:space:]]*" str; in
    if m == null then throw "Could not convert ${str} to int."
    else
      let digits = builtins.head m; trimmed = builtins.match "(-?)0*([0-9]+)" digits; in
      builtins.fromJSON (builtins.head trimmed + builtins.elemAt trimmed 1);

  fileContents = file: removeSuffix "\n" (builtins.readFile file);
  readFile = builtins.readFile;
}
