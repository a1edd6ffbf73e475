# The `lib` of tsportable's stand-in package set: nixpkgs' names and behaviour
# for what portable-service files call. `import <nixpkgs/lib>` gives this set
# when the stand-in is used, so it is a plain attribute set, not a function.
#
# Each family lives in its own file (as in nixpkgs) and sees the whole `lib`
# through the lazy `lib` argument; the top level flattens the families. The
# families' attribute names never depend on `lib`, which keeps this knot lazy.
let
  callLib = file: import file { inherit lib; };

  trivial = callLib ./trivial.nix;
  fixedPoints = callLib ./fixed-points.nix;
  lists = callLib ./lists.nix;
  strings = callLib ./strings.nix;
  attrsets = callLib ./attrsets.nix;
  meta = callLib ./meta.nix;
  customisation = callLib ./customisation.nix;
  generators = callLib ./generators.nix;
  versions = callLib ./versions.nix;
  licenses = callLib ./licenses.nix;
  platforms = callLib ./platforms.nix;

  # Maintainers are only ever listed in meta, which nothing here reads.
  maintainers = { };
  teams = { };

  lib =
    trivial // fixedPoints // lists // strings // attrsets // meta // customisation
    // {
      inherit trivial fixedPoints lists strings attrsets meta customisation
        generators versions licenses platforms maintainers teams;

      inherit (builtins)
        typeOf isInt isBool isFloat isPath isAttrs isList isString
        toJSON fromJSON tryEval addErrorContext unsafeGetAttrPos
        compareVersions splitVersion pathExists readDir baseNameOf dirOf;

      assertMsg = pred: msg: pred || builtins.throw msg;
      assertOneOf = name: val: xs:
        lib.assertMsg (builtins.elem val xs)
          "${name} must be one of ${lib.generators.toPretty { } xs}, but is: ${lib.generators.toPretty { } val}";

      # Only the platform facts packages here read; nixpkgs' elaborate gives many more.
      systems = {
        elaborate = system: {
          inherit system;
          isLinux = lib.hasSuffix "-linux" system;
          isDarwin = lib.hasSuffix "-darwin" system;
          isx86_64 = lib.hasPrefix "x86_64-" system;
          isAarch64 = lib.hasPrefix "aarch64-" system;
        };
        flakeExposed = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      };
    };
in
lib
