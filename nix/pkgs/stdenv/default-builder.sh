# The builder of every stand-in mkDerivation without its own `builder`.
source "$stdenv/setup"
genericBuild
