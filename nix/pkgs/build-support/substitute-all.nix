# The legacy `substituteAll` (removed from current nixpkgs, still found in
# portable-service files): every attribute given is substituted for @name@.
{ stdenv }:

args:
stdenv.mkDerivation ({
  name = if args ? name then args.name else baseNameOf (toString args.src);
  builder = ./substitute-all.sh;
  inherit (args) src;
  preferLocalBuild = true;
  allowSubstitutes = false;
} // args)
