#!/usr/bin/env bash
# Makes this checkout ready to run: Debian's nix-bin, squashfs-tools, patchelf
# (the default package set closes host programs with it) and neovim (the real
# LSP client of the editor tests) when their commands are missing, the npm
# packages (whose install step compiles the grammar binding in grammar/), those
# of the VS Code extension in editors/vscode, and the compiled TypeScript.
# Safe to run again: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nix-store >/dev/null 2>&1 || missing+=(nix-bin)
command -v mksquashfs >/dev/null 2>&1 || missing+=(squashfs-tools)
command -v patchelf >/dev/null 2>&1 || missing+=(patchelf)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "tsportable: installing ${missing[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "tsportable needs ${missing[*]}: install them first, e.g. 'sudo apt-get install ${missing[*]}' on Debian" >&2
    exit 1
  fi
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json \
      || ! -f grammar/build/Release/tree_sitter_nix_napi.node ]]; then
  npm ci --no-audit --no-fund
fi
# The VS Code extension's own dependencies (its language client), which its packaging test needs.
if [[ ! -f editors/vscode/node_modules/.package-lock.json \
      || editors/vscode/package-lock.json -nt editors/vscode/node_modules/.package-lock.json ]]; then
  (cd editors/vscode && npm ci --no-audit --no-fund)
fi
npm run --silent build
