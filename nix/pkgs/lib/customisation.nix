# `callPackage`/`override` machinery (nixpkgs' lib.customisation): a package
# built from a function remembers its arguments so `.override` can change them,
# and `.override` survives `overrideAttrs`.
{ lib }:

rec {
  makeOverridable = f:
    let
      # Plain functions keep their argument names so callPackage can see them.
      fArgs = lib.functionArgs f;
      wrapped = origArgs:
        let
          result = f origArgs;
          overrideWith = newArgs: origArgs // (if lib.isFunction newArgs then newArgs origArgs else newArgs);
          overrideResult = g: makeOverridable (args: g (f args)) origArgs;
        in
        if builtins.isAttrs result then
          result // {
            override = newArgs: makeOverridable f (overrideWith newArgs);
            overrideDerivation = fdrv: overrideResult (x: overrideDerivation x fdrv);
            ${if result ? overrideAttrs then "overrideAttrs" else null} = fdrv: overrideResult (x: x.overrideAttrs fdrv);
          }
        else if lib.isFunction result then
          lib.setFunctionArgs result (lib.functionArgs result) // {
            override = newArgs: makeOverridable f (overrideWith newArgs);
          }
        else result;
    in
    lib.setFunctionArgs wrapped fArgs;

  # Arguments the function names are taken from `autoArgs`; `args` win.
  callPackageWith = autoArgs: fn: args:
    let
      f = if lib.isFunction fn then fn else import fn;
      fargs = lib.functionArgs f;
      allArgs = builtins.intersectAttrs fargs autoArgs // args;
      missing = builtins.filter (name: !fargs.${name} && !(allArgs ? ${name})) (builtins.attrNames fargs);
      where = if builtins.isPath fn then " at ${toString fn}" else "";
    in
    if missing != [ ]
    then throw "Function called without required argument \"${builtins.head missing}\"${where}."
    else makeOverridable f allArgs;

  callPackagesWith = autoArgs: fn: args:
    let
      f = if lib.isFunction fn then fn else import fn;
      auto = builtins.intersectAttrs (lib.functionArgs f) autoArgs;
    in
    f (auto // args);

  # The old-style override: applies `f` to the derivation's attributes.
  overrideDerivation = drv: f:
    let newDrv = derivation (drv.drvAttrs // (f drv)); in
    lib.flip (lib.extendDerivation true) newDrv (
      { meta = drv.meta or { }; passthru = if drv ? passthru then drv.passthru else { }; }
      // (drv.passthru or { })
    );

  # Adds `passthru` to a derivation and to each of its outputs.
  extendDerivation = condition: passthru: drv:
    let
      outputs = drv.outputs or [ "out" ];
      commonAttrs = drv // (builtins.listToAttrs outputsList) // { all = map (x: x.value) outputsList; } // passthru;
      outputToAttrListElement = outputName: {
        name = outputName;
        value = commonAttrs // {
          inherit (drv.${outputName}) type outputName;
          outputSpecified = true;
          drvPath = assert condition; drv.${outputName}.drvPath;
          outPath = assert condition; drv.${outputName}.outPath;
        } // lib.optionalAttrs (passthru ? overrideAttrs) {
          overrideAttrs = f: (passthru.overrideAttrs f).${outputName};
        };
      };
      outputsList = map outputToAttrListElement outputs;
    in
    commonAttrs // {
      drvPath = assert condition; drv.drvPath;
      outPath = assert condition; drv.outPath;
    };

  makeScope = newScope: f:
    let
      self = f self // {
        newScope = scope: newScope (self // scope);
        callPackage = self.newScope { };
        packages = f;
      };
    in
    self;
}
