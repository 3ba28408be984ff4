#!/usr/bin/env bash
# Installs the named Debian packages that are missing. Needs root (as on this project's machines).
set -euo pipefail
missing=()
for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Debian packages needed: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 update &&
       apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2; echo "apt-get install ${missing[*]} failed" >&2; exit 1
fi
rm -f "$log"
