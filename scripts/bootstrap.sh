#!/usr/bin/env bash
# Installs what traycheck needs on a fresh Debian 12 and builds it. Idempotent and quick
# when everything is present (checks, never reinstalls).
#   scripts/bootstrap.sh [product]   what the product runs on (`npm run demo`): ffmpeg
#   scripts/bootstrap.sh test        also what the tests run against (`npm test`, `.ci/run`):
#                                    mosquitto, chromium, the GStreamer RTSP server, systemd's tools
#   scripts/bootstrap.sh --list MODE prints the system packages MODE needs (installed or not), one a line
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip   # onnxruntime-node would otherwise try to download CUDA libraries

log() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*" >&2; }
usage() { echo "usage: scripts/bootstrap.sh [product|test] | --list product|test" >&2; exit 2; }

list=0
if [ "${1:-}" = --list ]; then list=1; shift; fi
mode=${1:-product}
case "$mode" in product | test) ;; *) usage ;; esac

# --- System packages (Debian) ---------------------------------------------
# Each entry: the packages, then the check that says they are present.
have_gst_rtsp() {
  /usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer","1.0"); from gi.repository import GstRtspServer' >/dev/null 2>&1
}
packages=()
missing=()
want() { # want "<packages>" <check command...>
  local pkgs=$1
  shift
  packages+=($pkgs)
  "$@" >/dev/null 2>&1 || missing+=($pkgs)
}
# ffmpeg: camera ingest (the daemon's only system dependency; the demo's broker is embedded).
want ffmpeg command -v ffmpeg
if [ "$mode" = test ]; then
  # mosquitto: the real broker of the MQTT integration and crash tests.
  want mosquitto test -x /usr/sbin/mosquitto
  # chromium: dashboard end-to-end tests (playwright-core drives /usr/bin/chromium).
  want chromium test -x /usr/bin/chromium
  # systemd-analyze / systemd-notify: the unit's verify and security tests, the notify test.
  want systemd command -v systemd-analyze
  # The camera tests' RTSP source.
  want "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly" have_gst_rtsp
fi
if [ $list = 1 ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

# --- Node version -----------------------------------------------------------
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("traycheck needs Node.js >= 20.19, found "+process.versions.node); process.exit(1) }'

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing system packages ($mode): ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "missing system packages ($mode): ${missing[*]} — install them with: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

# --- npm dependencies -------------------------------------------------------
stamp=node_modules/.traycheck-lock-hash
lockhash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lockhash" ]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lockhash" > "$stamp"
fi

# --- Build (the daemon runs compiled JS from dist/) -------------------------
srchash=$( (find src bench -type f \( -name '*.ts' -o -name '*.sql' \) -print0 | sort -z | xargs -0 sha256sum; sha256sum tsconfig.json package.json) | sha256sum | cut -d' ' -f1)
bstamp=dist/.traycheck-src-hash
if [ ! -f "$bstamp" ] || [ "$(cat "$bstamp")" != "$srchash" ]; then
  log "building (tsc → dist/)"
  npm run --silent build
  echo "$srchash" > "$bstamp"
fi
