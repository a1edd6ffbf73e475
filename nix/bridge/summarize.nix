# Summaries of foreign values, so that the questions evaluation asks about a
# package (`hello ? meta`, `hello.meta.mainProgram`, `hello.bin or hello.out`,
# as lib.getExe/getBin/getName ask them) are answered from ONE nix-instantiate
# run instead of one run per question.
#
# A summary is what tsportable's oracle needs to know of a value (its type, a
# set's names, a scalar's value with its context); for a derivation also the
# same for its data attributes, its meta attributes and its outputs. Only data
# is forced, never outPath/drvPath (they would instantiate the derivation). A
# part whose evaluation throws is null: tsportable then asks Nix about it
# alone, if evaluation needs it, to get Nix's own error.
values:
let
  describe = import ./describe.nix true;

  # `f v`, fully evaluated, or null when that throws.
  safe = f: v:
    let r = builtins.tryEval (let x = f v; in builtins.deepSeq x x); in
    if r.success then r.value else null;

  present = v: builtins.filter (n: builtins.hasAttr n v);
  attrsOf = f: v: names: builtins.listToAttrs (map (n: { name = n; value = safe f v.${n}; }) names);

  dataNames = [ "type" "name" "pname" "version" "outputName" "outputs" "outputSpecified" "system" ];

  # meta: every attribute described (mainProgram, description, license's names, ...).
  metaSummary = m:
    let d = describe m; in
    if d.type == "set" then d // { attrs = attrsOf describe m d.names; } else d;

  outputNames = v:
    let os = safe (x: x.outputs or [ "out" ]) v; in
    if builtins.isList os then builtins.filter builtins.isString os else [ ];

  summarize = withOutputs: v:
    let d = describe v; in
    if d.type == "set" && d.isDerivation then d // {
      attrs = attrsOf describe v (present v dataNames)
        // attrsOf metaSummary v (present v [ "meta" ])
        // (if withOutputs then attrsOf (summarize false) v (present v (outputNames v)) else { });
    } else d;
in
# Each value comes as `{ value = ...; }`, or `{ }` when it does not exist (a
# package selected from a set that has no such attribute): then null too.
builtins.mapAttrs (_: x: if x ? value then safe (summarize true) x.value else null) values
