# A hand-written builder in the old nixpkgs style.
source $stdenv/setup
mkdir -p $out
echo "$message" > $out/message
