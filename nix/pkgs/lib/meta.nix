# `lib.getExe` and friends: the program path nixpkgs derives from a package,
# preferring meta.mainProgram and otherwise guessing from pname or name (with the
# deprecation warning nixpkgs prints for that guess).
{ lib }:

rec {
  addMetaAttrs = newAttrs: drv: drv // { meta = (drv.meta or { }) // newAttrs; };
  dontDistribute = drv: addMetaAttrs { hydraPlatforms = [ ]; } drv;
  setName = name: drv: drv // { inherit name; };
  lowPrio = drv: addMetaAttrs { priority = 10; } drv;
  hiPrio = drv: addMetaAttrs { priority = -10; } drv;

  getExe = x:
    getExe' x (x.meta.mainProgram or (
      lib.warnIf (x.type or null == "derivation")
        "getExe: package ${lib.escapeNixIdentifier (x.meta.name or x.pname or x.name)} has no meta.mainProgram; assuming the program is named like the package, which is deprecated. Set meta.mainProgram, or name the program with lib.getExe' pkg \"program\"."
        (lib.getName x)
    ));

  getExe' = x: y:
    assert lib.assertMsg (lib.isDerivation x)
      "lib.meta.getExe': The first argument is of type ${builtins.typeOf x}, but it should be a derivation instead.";
    assert lib.assertMsg (builtins.isString y)
      "lib.meta.getExe': The second argument is of type ${builtins.typeOf y}, but it should be a string instead.";
    assert lib.assertMsg (builtins.length (lib.splitString "/" y) == 1)
      "lib.meta.getExe': The second argument \"${y}\" is a nested path with a \"/\" character, but it should just be the name of the executable instead.";
    "${lib.getBin x}/bin/${y}";

  getLicenseFromSpdxId = id:
    lib.findFirst (l: l ? spdxId && l.spdxId == id) { shortName = id; } (builtins.attrValues lib.licenses);
}
