#!/usr/bin/env bash
# Executable entry for the VS Code stand-in (see vscodeShim.ts); test-electron spawns an executable file.
exec node "$(dirname "$0")/../../out/test/harness/vscodeShim.js" "$@"
