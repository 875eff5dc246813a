#!/usr/bin/env bash
# Runs wardline on embedded defaults: PGlite in ./.wardline, a redis-server it manages,
# the built-in workspace in the browser. Installs what is missing and builds dist/ first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh
bash scripts/ensure-node-modules.sh
# Compile to dist/ when it is older than src/ (exit 2: type errors reported, dist/ written anyway).
node scripts/build.js --if-stale || [[ $? -eq 2 ]]
if [[ ! -f "${WARDLINE_DATA_DIR:-./.wardline}/.seeded" ]]; then
  # In the background so Ctrl+C or SIGTERM reaches it now, not when it has finished.
  node bin/wardline.js seed --demo &
  seeder=$!
  trap 'kill -TERM "$seeder" 2>/dev/null; wait "$seeder"; exit 143' TERM INT
  wait "$seeder"
  trap - TERM INT
  mkdir -p "${WARDLINE_DATA_DIR:-./.wardline}" && touch "${WARDLINE_DATA_DIR:-./.wardline}/.seeded"
fi
exec node bin/wardline.js start "$@"
