#!/usr/bin/env bash
# Installs what traycheck needs on a fresh Debian 12 and builds it. Idempotent and quick
# when everything is present (checks, never reinstalls). Called by `npm run demo` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip   # onnxruntime-node would otherwise try to download CUDA libraries

log() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*" >&2; }

# --- Node version -----------------------------------------------------------
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("traycheck needs Node.js >= 20.19, found "+process.versions.node); process.exit(1) }'

# --- System packages (Debian) ---------------------------------------------
# ffmpeg: camera ingest. mosquitto: broker for integration tests / production.
# chromium: dashboard end-to-end tests. gstreamer RTSP server: camera tests' RTSP source.
# systemd: the tools the unit-file tests run (a container image may lack them).
need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null 2>&1 || need+=(mosquitto)
if [ "${TRAYCHECK_BOOTSTRAP_TEST_DEPS:-1}" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # systemd-analyze / systemd-notify: the unit's verify and security tests, the notify test.
  command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
  /usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer","1.0"); from gi.repository import GstRtspServer' >/dev/null 2>&1 \
    || need+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly)
fi
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing system packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  else
    log "missing system packages: ${need[*]} — install them with: sudo apt-get install -y ${need[*]}"
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
