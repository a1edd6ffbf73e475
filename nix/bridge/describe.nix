# What tsportable's oracle needs to know of a value Nix computed: its type,
# a set's names (and whether it is a derivation, which stays foreign), a
# list's length (and a short list's items), a scalar's value, a string's
# context. Used alone for one question (without items: an item that throws
# must not fail a question about the list), and by summarize.nix for many.
withItems: v:
let t = builtins.typeOf v; in
if t == "set" then { type = t; names = builtins.attrNames v; isDerivation = (v.type or null) == "derivation"; }
else if t == "list" then { type = t; length = builtins.length v; }
  # A short list's items too (`outputs`, `meta.outputsToInstall`): `builtins.elem "bin" p.outputs` needs them.
  // (if withItems && builtins.length v <= 64 then { items = map (import ./describe.nix withItems) v; } else { })
else if t == "lambda" || t == "primop" then { type = "lambda"; }
else if t == "string" then { type = t; value = v; context = builtins.getContext v; }
else if t == "path" then { type = t; value = toString v; }
else { type = t; value = v; }
