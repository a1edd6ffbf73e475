# The last step of the bridge's batch: every value the build needs, coerced to
# a string as string interpolation does (a derivation gives its output path, a
# local path is copied to the store), with the context Nix gives that string.
# tsportable realises the derivations named in the contexts afterwards.
# `strings` give only their context: their text is tsportable's own with each
# foreign value's text put in, and it may hold bytes JSON cannot carry.
# `handles` (the foreign values) give their text too.
{ strings, handles }:
builtins.mapAttrs (_: v: { context = builtins.getContext "${v}"; }) strings
// builtins.mapAttrs (_: v: let s = "${v}"; in { inherit s; context = builtins.getContext s; }) handles
