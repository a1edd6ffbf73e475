# Fixed points and extensions (`lib.fix`, `lib.extends`): the machinery behind
# package-set overlays (`final: prev: { ... }`) and `overrideAttrs`.
{ lib }:

rec {
  fix = f: let x = f x; in x;

  # Like `fix`, but the result remembers how to be re-extended.
  fix' = f: let x = f x // { __unfix__ = f; }; in x;

  # An overlay sees the final result and the result before it was applied.
  extends = overlay: f: final: let prev = f final; in prev // overlay final prev;

  composeExtensions = f: g: final: prev:
    let
      fApplied = f final prev;
      prev' = prev // fApplied;
    in
    fApplied // g final prev';

  composeManyExtensions = builtins.foldl' (acc: ext: composeExtensions acc ext) (final: prev: { });

  makeExtensible = makeExtensibleWithCustomName "extend";

  makeExtensibleWithCustomName = extenderName: rattrs:
    fix' (self: (rattrs self) // {
      ${extenderName} = f: makeExtensibleWithCustomName extenderName (extends f rattrs);
    });

  # `toExtension f` accepts the three shapes nixpkgs accepts for an override:
  # an attribute set, `prev: { }` and `final: prev: { }`.
  toExtension = f:
    if lib.isFunction f then
      final: prev:
        let fPrev = f prev; in
        if lib.isFunction fPrev then f final prev else fPrev
    else
      final: prev: f;
}
