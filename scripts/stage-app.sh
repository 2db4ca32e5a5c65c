#!/usr/bin/env bash
# Copy what a production install ships (scripts/ship-files.txt) from a built checkout to DEST.
# Used by scripts/install.sh and by the build stage of Dockerfile.arm64, so both ship the same files.
#   scripts/stage-app.sh [--allow-missing] SRC DEST
# A missing entry is an error (a release without its UI or model is broken); --allow-missing
# only warns (work-in-progress checkouts, tests).
set -euo pipefail

allow_missing=0
if [ "${1:-}" = --allow-missing ]; then allow_missing=1; shift; fi
[ $# -eq 2 ] || { echo "usage: $0 [--allow-missing] SRC DEST" >&2; exit 2; }
src=$(cd "$1" && pwd)
dest=$2
list="$src/scripts/ship-files.txt"
[ -f "$list" ] || { echo "stage-app: $list not found" >&2; exit 1; }
[ -f "$src/dist/src/cli/main.js" ] || { echo "stage-app: $src/dist is not built: run npm ci && npm run build first" >&2; exit 1; }

mkdir -p "$dest"
missing=()
while IFS= read -r entry || [ -n "$entry" ]; do
  entry=${entry%%#*}
  entry=$(printf '%s' "$entry" | tr -d '[:space:]')
  [ -n "$entry" ] || continue
  if [ ! -e "$src/$entry" ]; then
    missing+=("$entry")
    continue
  fi
  mkdir -p "$dest/$(dirname "$entry")"
  rm -rf "${dest:?}/$entry"
  cp -R "$src/$entry" "$dest/$entry"
done <"$list"

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$allow_missing" = 1 ]; then
    echo "stage-app: warning: not in $src (skipped): ${missing[*]}" >&2
  else
    echo "stage-app: missing from $src: ${missing[*]} (build the release completely, or pass --allow-missing)" >&2
    exit 1
  fi
fi

# Build stamps are not part of a release.
rm -f "$dest/dist/.traycheck-src-hash"
# A production tree never installs devDependencies; dropping them from the shipped package.json
# also keeps `npm ci --omit=dev` from resolving the dev half of the lock file (faster, fewer
# registry look-ups, and immune to dev-only optional packages missing from a registry mirror).
if [ -f "$dest/package.json" ]; then
  node -e '
    const fs = require("fs");
    const f = process.argv[1];
    const p = JSON.parse(fs.readFileSync(f, "utf8"));
    delete p.devDependencies;
    fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");
  ' "$dest/package.json"
fi
