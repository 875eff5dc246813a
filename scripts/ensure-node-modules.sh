#!/usr/bin/env bash
# Installs the npm packages from the lockfile when node_modules is missing or does not match it.
# A node_modules that is a link to an install shared with other checkouts is never reinstalled
# from here (npm ci would empty it under everyone using it): it says so instead.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -d node_modules ]] && node scripts/node-modules-current.js; then exit 0; fi
if [[ -L node_modules ]]; then
  echo "wardline: node_modules links to $(readlink -f node_modules), which does not match package-lock.json; run npm ci there" >&2
  exit 1
fi
echo "wardline: installing npm packages (npm ci)" >&2
npm ci --no-audit --no-fund --loglevel=error
