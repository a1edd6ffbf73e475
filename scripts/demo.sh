#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the demo image
# from examples/demo with tsportable, and lists what is inside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out=$(node bin/tsportable.js build examples/demo/default.nix -o result)
echo "built: $out"
unsquashfs -lls "$out"/*.raw
