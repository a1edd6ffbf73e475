# The stand-in `lib` lives in nix/pkgs/lib, inside the package set, as lib/
# lives inside nixpkgs: the set is then one self-contained directory (a flake
# that `--override-input nixpkgs path:.../nix/pkgs` can name). This file keeps
# `import .../nix/lib` working.
import ../pkgs/lib
