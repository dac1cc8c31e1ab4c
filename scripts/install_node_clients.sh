#!/usr/bin/env bash
# Installs the node clients that tests/compat drives against the emulator (Codex CLI and the
# Vercel AI SDK, pinned in tests/compat/node/package-lock.json) from the npm registry into a
# project-local directory: $AZRESP_NODE_CLIENTS, default .ci-node/ (gitignored). Does nothing
# when that directory already holds the same lock file. Needs node and npm on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${AZRESP_NODE_CLIENTS:-.ci-node}
lock=tests/compat/node/package-lock.json
if [ -d "$dir/node_modules" ] && cmp -s "$lock" "$dir/package-lock.json"; then
    echo "node clients: up to date in $dir"
    exit 0
fi
mkdir -p "$dir"
cp tests/compat/node/package.json "$lock" "$dir/"
# npm's download cache stays in the user's cache; the install itself lives only in $dir.
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
echo "node clients: installed in $dir ($(node --version))"
