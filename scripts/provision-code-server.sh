#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100 that runs in the browser) into the tool cache, once.
# A plain `npm install code-server` fails on this kind of machine: its postinstall insists on
# --unsafe-perm as root, @vscode/ripgrep downloads rg from outside, and node-pty runs `npx node-gyp`
# which aborts without npm_config_yes. Each step below works around one of those.
# Usage: provision-code-server.sh  -> prints the path of the code-server binary on its last line.
set -euo pipefail
VERSION=${CODE_SERVER_VERSION:-4.100.3}
# HOME can be unset under CI; bash then expands ~ from the password database.
CACHE=${COMPOSE_BLUEPRINT_CACHE:-${HOME:-$(cd ~ && pwd)}/.cache/compose-blueprint}
DIR="$CACHE/code-server-$VERSION"
BIN="$DIR/node_modules/.bin/code-server"
log() { printf '[code-server] %s\n' "$*" >&2; }

if [ -x "$BIN" ] && [ -f "$DIR/.complete" ]; then
  log "already installed in $DIR"
  echo "$BIN"; exit 0
fi

need=()
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  log "installing Debian packages: ${need[*]}"
  bash "$(dirname "$0")/apt-install.sh" "${need[@]}"
fi

export npm_config_yes=true npm_config_audit=false npm_config_fund=false
rm -rf "$DIR"; mkdir -p "$DIR"; cd "$DIR"
printf '{"name":"code-server-host","private":true}\n' > package.json
log "npm install code-server@$VERSION (scripts off)"
npm install "code-server@$VERSION" --ignore-scripts >"$DIR/install.log" 2>&1 || { tail -n 30 "$DIR/install.log" >&2; exit 1; }
npm rebuild argon2 --foreground-scripts >>"$DIR/install.log" 2>&1
cd "$DIR/node_modules/code-server/lib/vscode"
npm install --omit=dev --ignore-scripts >>"$DIR/install.log" 2>&1
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
log "building native modules"
npm rebuild --foreground-scripts >>"$DIR/install.log" 2>&1 || { tail -n 30 "$DIR/install.log" >&2; exit 1; }
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev >>"$DIR/install.log" 2>&1)
"$BIN" --version >&2
touch "$DIR/.complete"
echo "$BIN"
