#!/usr/bin/env bash
# `npm test`: everything a fresh machine of this kind needs, then every test level (see scripts/test-all.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] npm ci"
  npm ci --no-audit --no-fund
fi
exec node scripts/test-all.mjs "$@"
