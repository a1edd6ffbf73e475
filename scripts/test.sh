#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds,
# then runs jest on the compiled tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
NODE_OPTIONS="--experimental-vm-modules --enable-source-maps ${NODE_OPTIONS:-}" exec npx jest "$@"
