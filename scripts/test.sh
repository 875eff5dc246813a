#!/usr/bin/env bash
# Runs every test: installs what is missing, builds dist/ when stale, then vitest (it starts its own PostgreSQL and Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh --test
bash scripts/ensure-node-modules.sh
# Compile to dist/ when it is older than src/ (exit 2: type errors reported, dist/ written anyway).
node scripts/build.js --if-stale || [[ $? -eq 2 ]]
exec npx vitest run "$@"
