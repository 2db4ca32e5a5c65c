#!/usr/bin/env bash
# Fetches the real images listed in manifest.json from Debian's archive (apt-get download, no
# install, no other network) and lays them out for the renderer and the real-imagery check:
#   OUT/index.json                       the manifest entries with their local file names
#   OUT/<split>/<role>/<package>/<file>  the images (split train|test, role photo|cutout)
# Usage: tools/train/photolib/fetch.sh [OUT=data/photolib] [--split train|test]
# Idempotent: packages already extracted into OUT/.debs are not downloaded again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-data/photolib}"
split="${2:-}"
[ "$split" = --split ] && split="${3:-}"
mkdir -p "$out/.debs"
out="$(cd "$out" && pwd)"
manifest="$here/manifest.json"
pkgs=$(node -e '
  const m = require(process.argv[1]); const s = process.argv[2];
  const seen = new Map();
  for (const e of m.images) if (!s || e.split === s) seen.set(e.package, e.version);
  for (const [p, v] of seen) console.log(p + "=" + v);
' "$manifest" "$split")
cd "$out/.debs"
for pv in $pkgs; do
  p="${pv%%=*}"
  [ -d "x_$p" ] && continue
  if ! apt-get download -q "$pv" >/dev/null 2>&1; then
    # A fresh box may have no package lists yet, or a newer version than the manifest records.
    [ "$(id -u)" = 0 ] && apt-get update -q >/dev/null 2>&1 || true
    if ! apt-get download -q "$pv" >/dev/null 2>&1; then
      echo "photolib: $pv is no longer in the archive; taking the current version of $p" >&2
      apt-get download -q "$p" >/dev/null
    fi
  fi
  mkdir -p "x_$p.tmp" && dpkg-deb -x "$p"_*.deb "x_$p.tmp" && mv "x_$p.tmp" "x_$p" && rm -f "$p"_*.deb
done
node -e '
  const fs = require("fs"), path = require("path");
  const [manifest, out, s] = process.argv.slice(1);
  const m = require(manifest);
  const index = [];
  for (const e of m.images) {
    if (s && e.split !== s) continue;
    const src = path.join(out, ".debs", "x_" + e.package, e.path);
    const rel = path.join(e.split, e.role, e.package, e.path.replace(/^\/usr\/(share|lib)\//, "").replace(/\//g, "__"));
    fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    if (!fs.existsSync(path.join(out, rel))) fs.copyFileSync(src, path.join(out, rel));
    index.push({ ...e, file: rel });
  }
  fs.writeFileSync(path.join(out, "index.json"), JSON.stringify({ images: index }, null, 1) + "\n");
  console.error(`photolib: ${index.length} images in ${out}`);
' "$manifest" "$out" "$split"
