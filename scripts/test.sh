#!/usr/bin/env bash
# Runs every test: installs what is missing, then vitest (it starts its own PostgreSQL and Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh --test
bash scripts/ensure-node-modules.sh
exec npx vitest run "$@"
