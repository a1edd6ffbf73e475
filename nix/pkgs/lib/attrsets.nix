# Attribute-set functions of nixpkgs' `lib.attrsets`, including the output
# selection (`getOutput`, `getBin`, ...) that honours `outputSpecified`: a
# package picked as `pkg.dev` stays that output.
{ lib }:

let
  inherit (builtins) attrNames listToAttrs isAttrs head tail length elemAt;
in
rec {
  inherit (builtins) attrNames attrValues listToAttrs hasAttr getAttr isAttrs removeAttrs intersectAttrs catAttrs mapAttrs;

  nameValuePair = name: value: { inherit name value; };

  filterAttrs = pred: set:
    listToAttrs (builtins.concatMap
      (name: let v = set.${name}; in if pred name v then [ (nameValuePair name v) ] else [ ])
      (attrNames set));

  filterAttrsRecursive = pred: set:
    listToAttrs (builtins.concatMap
      (name:
        let v = set.${name}; in
        if pred name v then [ (nameValuePair name (if isAttrs v then filterAttrsRecursive pred v else v)) ] else [ ])
      (attrNames set));

  mapAttrs' = f: set: listToAttrs (map (attr: f attr set.${attr}) (attrNames set));
  mapAttrsToList = f: attrs: map (name: f name attrs.${name}) (attrNames attrs);
  attrsToList = mapAttrsToList nameValuePair;
  concatMapAttrs = f: v: builtins.foldl' (a: b: a // b) { } (mapAttrsToList f v);

  mapAttrsRecursive = mapAttrsRecursiveCond (_: true);
  mapAttrsRecursiveCond = cond: f: set:
    let
      recurse = path:
        builtins.mapAttrs (name: value:
          if isAttrs value && cond value then recurse (path ++ [ name ]) value
          else f (path ++ [ name ]) value);
    in
    recurse [ ] set;

  genAttrs = names: f: listToAttrs (map (n: nameValuePair n (f n)) names);

  attrByPath = attrPath: default: set:
    let
      lenAttrPath = length attrPath;
      go = n: s:
        if n == lenAttrPath then s
        else
          let attr = elemAt attrPath n; in
          if s ? ${attr} then go (n + 1) s.${attr} else default;
    in
    go 0 set;
  hasAttrByPath = attrPath: e:
    let
      lenAttrPath = length attrPath;
      go = n: s:
        if n == lenAttrPath then true
        else
          let attr = elemAt attrPath n; in
          if s ? ${attr} then go (n + 1) s.${attr} else false;
    in
    go 0 e;
  setAttrByPath = attrPath: value:
    let
      len = length attrPath;
      go = n: if n == len then value else { ${elemAt attrPath n} = go (n + 1); };
    in
    go 0;
  getAttrFromPath = attrPath: set:
    attrByPath attrPath (abort ("cannot find attribute '" + builtins.concatStringsSep "." attrPath + "'")) set;

  collect = pred: attrs:
    if pred attrs then [ attrs ]
    else if isAttrs attrs then builtins.concatMap (collect pred) (builtins.attrValues attrs)
    else [ ];

  zipAttrsWithNames = names: f: sets:
    listToAttrs (map (name: { inherit name; value = f name (builtins.catAttrs name sets); }) names);
  zipAttrsWith = f: sets: zipAttrsWithNames (lib.unique (builtins.concatMap attrNames sets)) f sets;
  zipAttrs = zipAttrsWith (name: values: values);

  # Merges nested sets; the right-hand side wins wherever either side is not a set.
  recursiveUpdateUntil = pred: lhs: rhs:
    let
      f = attrPath:
        zipAttrsWith (n: values:
          let here = attrPath ++ [ n ]; in
          if length values == 1 || pred here (elemAt values 1) (head values)
          then head values
          else f here values);
    in
    f [ ] [ rhs lhs ];
  recursiveUpdate = lhs: rhs:
    recursiveUpdateUntil (path: lhs: rhs: !(isAttrs lhs && isAttrs rhs)) lhs rhs;

  foldAttrs = op: nul: list_of_attrs:
    builtins.foldl' (a: n: a // builtins.mapAttrs (name: value: op value (a.${name} or nul)) n) { } (lib.reverseList list_of_attrs);

  optionalAttrs = cond: as: if cond then as else { };

  isDerivation = value: value.type or null == "derivation";

  getOutput = output: pkg:
    if !pkg ? outputSpecified || !pkg.outputSpecified
    then pkg.${output} or pkg.out or pkg
    else pkg;
  getFirstOutput = candidates: pkg:
    let outputs = builtins.filter (name: builtins.hasAttr name pkg) candidates; in
    if !pkg ? outputSpecified || !pkg.outputSpecified
    then (if outputs == [ ] then pkg.out or pkg else pkg.${head outputs})
    else pkg;
  getBin = getOutput "bin";
  getLib = getOutput "lib";
  getDev = getOutput "dev";
  getMan = getOutput "man";
  getInclude = getOutput "include";
  getStatic = getOutput "static";

  chooseDevOutputs = builtins.map getDev;

  recurseIntoAttrs = attrs: attrs // { recurseForDerivations = true; };
  dontRecurseIntoAttrs = attrs: attrs // { recurseForDerivations = false; };

  # Lazy, as in nixpkgs: only reading a colliding attribute fails.
  unionOfDisjoint = x: y:
    let
      intersection = builtins.intersectAttrs x y;
      collisions = builtins.concatStringsSep " " (attrNames intersection);
      mask = builtins.mapAttrs
        (name: _: throw "unionOfDisjoint: collision on ${name}; complete list: ${collisions}")
        intersection;
    in
    (x // y) // mask;
}
