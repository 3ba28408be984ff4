#!/usr/bin/env bash
# `npm start`: builds the extension and opens it in VS Code on a demo workspace.
# - desktop `code` on PATH: a VS Code window with the extension under development;
# - otherwise: a browser VS Code (code-server 4.100.3 = VS Code 1.100.3) on 127.0.0.1 with the packaged
#   extension installed; the URL is printed. Ctrl+C stops it.
# Env: PORT (default 8080), DEMO_DIR (default .demo/commentbot).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
node scripts/build.mjs

DEMO=${DEMO_DIR:-$ROOT/.demo/commentbot}
if [ ! -e "$DEMO" ]; then
  mkdir -p "$(dirname "$DEMO")"
  # A scaffolded CommentBot project when the scaffolder is there; the test fixture workspace otherwise.
  if ! node dist/cli.js new "$DEMO" --preset commentbot >/dev/null 2>&1; then
    rm -rf "$DEMO"
    cp -r test/fixtures/workspaces/main "$DEMO"
  fi
fi
# Bring the daemon up if we can, so the services view has something live to show; the editor works without it.
bash scripts/docker-engine.sh up >/dev/null 2>&1 || echo "[start] Docker is not reachable: the services view will say why."

if command -v code >/dev/null 2>&1 && code --version >/dev/null 2>&1 && [ -z "${COMPOSE_BLUEPRINT_BROWSER:-}" ]; then
  echo "[start] opening desktop VS Code on $DEMO"
  exec code --extensionDevelopmentPath="$ROOT" "$DEMO"
fi

CODE_SERVER=$(bash scripts/provision-code-server.sh | tail -n 1)
STATE=$ROOT/.demo/code-server
mkdir -p "$STATE/extensions" "$STATE/user-data/User"
node scripts/package.mjs >/dev/null
"$CODE_SERVER" --extensions-dir "$STATE/extensions" --user-data-dir "$STATE/user-data" --force \
  --install-extension "$ROOT/$(node -p "const p=require('./package.json'); p.name+'-'+p.version+'.vsix'")" >/dev/null
PORT=${PORT:-8080}
echo "[start] open http://127.0.0.1:$PORT/?folder=$DEMO"
exec "$CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-getting-started-override --extensions-dir "$STATE/extensions" --user-data-dir "$STATE/user-data" "$DEMO"
