# The stand-in `stdenv`: nixpkgs' `stdenv.mkDerivation` for simple builds.
#
# What it keeps from nixpkgs: the argument names (pname/version/name,
# buildCommand or phases, nativeBuildInputs, outputs, passthru, meta,
# passAsFile, env), the result's shape (one attribute per output, each marked
# `outputSpecified`, passthru on all of them), `overrideAttrs` accepting both
# `prev: { }` and `final: prev: { }`, and `mkDerivation (finalAttrs: { })`.
#
# What it does not do: compilers, setup hooks, patchShebangs, stripping. Builds
# run the host's /bin/bash with the host's tools on PATH, which needs Nix's
# sandbox off (see setup.sh for what the sandbox would need instead).
{ lib, system
  # What scripts name as their shell (`#!${stdenv.shell}`): the set's bash,
  # a store path, as in nixpkgs. Builds themselves run the host's /bin/bash.
, shell ? "/bin/bash"
}:

let
  hostShell = "/bin/bash";

  # The setup script lives in the store, as "$stdenv/setup", so that it is an
  # input of every build (a change to it rebuilds everything, as it should).
  stdenvOut = derivation {
    name = "stdenv-tsportable";
    inherit system;
    builder = hostShell;
    args = [ "-c" "mkdir \"$out\" && cp \"$setup\" \"$out/setup\"" ];
    setup = ./setup.sh;
    PATH = "/usr/bin:/bin";
  };

  # Attributes that describe the package rather than the build, so they never
  # reach the derivation's environment.
  nonDrvAttrs = [ "meta" "passthru" "pos" "finalPackage" "overrideAttrs" "env" "__contentAddressed" ];

  # Nix turns true into "1" and false into ""; lists of packages become their
  # paths separated by spaces, which is what setup.sh reads.
  makeDrv = attrs:
    let
      name =
        if attrs ? name then attrs.name
        else if attrs ? pname && attrs ? version then "${attrs.pname}-${attrs.version}"
        else if attrs ? pname then throw "mkDerivation: `pname` \"${attrs.pname}\" was given without `version`; set both, or set `name`."
        else throw "mkDerivation: neither `name` nor `pname` and `version` were given.";

      # As in nixpkgs, `builder` names a script run by `realBuilder` (a shell).
      drvAttrs =
        builtins.removeAttrs attrs (nonDrvAttrs ++ [ "realBuilder" "args" ])
        // (attrs.env or { })
        // {
          inherit name;
          system = attrs.system or system;
          stdenv = stdenvOut;
          builder = attrs.realBuilder or hostShell;
          args = attrs.args or [ "-e" (attrs.builder or ./default-builder.sh) ];
          __ignoreNulls = true;
        };
    in
    derivation drvAttrs;

  mkDerivation = fnOrAttrs:
    let
      rattrs = if lib.isFunction fnOrAttrs then fnOrAttrs else _: fnOrAttrs;
    in
    makeDerivationExtensible rattrs;

  # `rattrs` maps the final attributes to this layer's; overrideAttrs stacks a
  # layer with lib.extends, so every layer sees the final result.
  makeDerivationExtensible = rattrs:
    let
      overrideAttrs = f0: makeDerivationExtensible (lib.extends (lib.toExtension f0) rattrs);
      finalAttrs = rattrs (finalAttrs // { inherit finalPackage; });
      finalPackage = mkPackage finalAttrs overrideAttrs;
    in
    finalPackage;

  # meta as nixpkgs' meta check completes it; passthru (with meta and
  # overrideAttrs) lands on the package and on each of its outputs.
  mkPackage = attrs: overrideAttrs:
    let
      drv = makeDrv attrs;
      meta = {
        name = drv.name;
        outputsToInstall = [ (builtins.head (attrs.outputs or [ "out" ])) ];
        available = true;
      } // (attrs.meta or { });
    in
    lib.extendDerivation true ((attrs.passthru or { }) // { inherit meta overrideAttrs; }) drv;
in
{
  inherit mkDerivation system;
  inherit (stdenvOut) outPath drvPath name type outputName;
  outputs = [ "out" ];
  out = stdenvOut;

  inherit shell;
  # nixpkgs' check that a script parses, used by writeShellScript.
  shellDryRun = "${hostShell} -n -O extglob";

  hostPlatform = lib.systems.elaborate system;
  buildPlatform = lib.systems.elaborate system;
  targetPlatform = lib.systems.elaborate system;
  isLinux = lib.hasSuffix "-linux" system;
  isDarwin = lib.hasSuffix "-darwin" system;
  cc = null;
}
