# Small combinators of nixpkgs' `lib.trivial`, written for tsportable's stand-in
# package set. Everything here is plain Nix that Nix 2.8 and tsportable's own
# evaluator both understand; names and results follow nixpkgs.
{ lib }:

let
  # Nix 2.8 has no builtins.warn; nixpkgs falls back to a trace with the same text.
  warn =
    if builtins ? warn then builtins.warn
    else msg: value: builtins.trace "warning: ${msg}" value;
in
rec {
  id = x: x;
  const = x: _: x;
  flip = f: a: b: f b a;
  pipe = value: fns: builtins.foldl' (acc: fn: fn acc) value fns;
  concat = a: b: a ++ b;
  "or" = a: b: a || b;
  "and" = a: b: a && b;
  xor = a: b: (!a) != (!b);
  defaultTo = default: value: if value == null then default else value;
  mergeAttrs = a: b: a // b;
  boolToString = b: if b then "true" else "false";
  mod = base: int: base - (int * (builtins.div base int));
  min = a: b: if a < b then a else b;
  max = a: b: if a > b then a else b;
  compare = a: b: if a < b then -1 else if a > b then 1 else 0;
  seq = builtins.seq;
  deepSeq = builtins.deepSeq;
  isFunction = f: builtins.isFunction f || (f ? __functor && isFunction (f.__functor f));
  functionArgs = f:
    if f ? __functor then f.__functionArgs or (functionArgs (f.__functor f))
    else builtins.functionArgs f;
  setFunctionArgs = f: args: { __functor = _: f; __functionArgs = args; };
  toFunction = v: if isFunction v then v else _: v;

  inherit warn;
  warnIf = cond: msg: if cond then warn msg else id;
  warnIfNot = cond: msg: if cond then id else warn msg;
  throwIf = cond: msg: if cond then builtins.throw msg else id;
  throwIfNot = cond: msg: if cond then id else builtins.throw msg;

  # The release this stand-in answers to, so that `lib.versionAtLeast lib.version`
  # checks in user files pass as they do with a current nixpkgs.
  release = "25.05";
  codeName = "tsportable";
  version = release;
  oldestSupportedRelease = 2411;
  isInOldestRelease = release: release <= oldestSupportedRelease;
  inPureEvalMode = !(builtins ? currentSystem);

  fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  fakeSha256 = "0000000000000000000000000000000000000000000000000000";
  fakeSha512 = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
}
