# The last step of the bridge's batch: every value the build needs, coerced to
# a string as string interpolation does (a derivation gives its output path, a
# local path is copied to the store), with the context Nix gives that string.
# tsportable realises the derivations named in the contexts afterwards.
values:
builtins.mapAttrs
  (_: v: let s = "${v}"; in { inherit s; context = builtins.getContext s; })
  values
