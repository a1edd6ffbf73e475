# `lib.versions`: pieces of a version string, split as builtins.splitVersion does.
{ lib }:

let
  inherit (builtins) splitVersion elemAt;
in
rec {
  inherit splitVersion;
  major = v: elemAt (splitVersion v) 0;
  minor = v: elemAt (splitVersion v) 1;
  patch = v: elemAt (splitVersion v) 2;
  majorMinor = v: builtins.concatStringsSep "." (lib.take 2 (splitVersion v));
  # Pads (or cuts) the numeric part to `n` components, keeping a "-suffix".
  pad = n: version:
    let
      numericVersion = builtins.head (lib.splitString "-" version);
      versionSuffix = lib.removePrefix numericVersion version;
    in
    builtins.concatStringsSep "." (lib.take n (splitVersion numericVersion ++ builtins.genList (_: "0") n))
    + versionSuffix;
}
