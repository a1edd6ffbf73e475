#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the demo image
# from examples/demo with tsportable, and shows what is inside it and that its
# programs can start there (tsportable inspect).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The demo's derivations come from tsportable's own package set and are in no
# binary cache: don't let Nix ask one for each (it waits when offline).
export NIX_CONFIG="substituters =
${NIX_CONFIG:-}"
out=$(node bin/tsportable.js build examples/demo/default.nix -o result)
echo "built: $out"
node bin/tsportable.js inspect result
