#!/usr/bin/env bash
# Install (or upgrade) traycheck on a Debian / Ubuntu / Raspberry Pi OS box, from a built checkout:
#   npm ci && npm run build && sudo scripts/install.sh
# Idempotent: running it again with the same version changes nothing an operator made (the config
# is never overwritten) and reuses the installed production node_modules when the lock file is the same.
#
# Layout (see docs/operations.md):
#   /opt/traycheck-<version>/   the app (root-owned, read-only to the service); /opt/traycheck -> it
#   /etc/traycheck/traycheck.yaml   config, root:traycheck 0640
#   /var/lib/traycheck/             data (SQLite, snapshots), traycheck:traycheck 0750
#   /etc/systemd/system/traycheck.service, /usr/local/bin/traycheck
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/install.sh [options]
  --prefix DIR         install under DIR instead of / (packaging, tests); implies --no-systemctl
  --user NAME          service user (default traycheck)
  --group NAME         service group (default: same as --user)
  --no-useradd         do not create the user/group: they must exist
  --no-systemctl       do not run systemctl (default when systemd is not running)
  --no-apt             do not apt-get install missing system packages (ffmpeg)
  --node-modules DIR   use this production node_modules (built for this OS/CPU) instead of npm ci
  --allow-missing      install even if a shipped file (scripts/ship-files.txt) is missing
  --keep N             keep this many installed versions for rollback (default 3)
  -h, --help           this help
EOF
}

log() { printf '[install] %s\n' "$*" >&2; }
die() {
  printf '[install] error: %s\n' "$*" >&2
  exit 1
}

prefix=''
svc_user=traycheck
svc_group=''
useradd_ok=1
systemctl_mode=auto
apt_ok=1
node_modules_from=''
stage_flags=()
keep=3
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --user) svc_user=${2:?--user needs a name}; shift 2 ;;
    --group) svc_group=${2:?--group needs a name}; shift 2 ;;
    --no-useradd) useradd_ok=0; shift ;;
    --no-systemctl) systemctl_mode=no; shift ;;
    --no-apt) apt_ok=0; shift ;;
    --node-modules) node_modules_from=${2:?--node-modules needs a directory}; shift 2 ;;
    --allow-missing) stage_flags+=(--allow-missing); shift ;;
    --keep) keep=${2:?--keep needs a number}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
svc_group=${svc_group:-$svc_user}
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || die "--keep expects a positive number"
if [ -n "$prefix" ]; then
  mkdir -p "$prefix"
  prefix=$(cd "$prefix" && pwd)
  [ "$prefix" = / ] && prefix=''
fi
P=$prefix
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

[ "$(id -u)" = 0 ] || die "run as root (sudo): the install creates a system user and root-owned files"

# --- Node.js ------------------------------------------------------------------
node_bin=$(command -v node || true)
[ -n "$node_bin" ] || die "Node.js >= 20.19 is required (Debian 12's nodejs is 18: install Node 22 from NodeSource, see docs/operations.md)"
node_bin=$(readlink -f "$node_bin")
"$node_bin" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  die "Node.js >= 20.19 is required, found $("$node_bin" --version) at $node_bin"
case "$node_bin" in
  /home/* | /root/* | /run/user/*) die "node at $node_bin is under a home directory, which the service cannot read (ProtectHome=yes); install Node system-wide" ;;
esac
version=$("$node_bin" -p 'require(process.argv[1]).version' "$src/package.json")
[[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || die "odd version '$version' in package.json"
log "installing traycheck $version from $src into ${P:-/} (node $("$node_bin" --version))"

# --- System packages ------------------------------------------------------------
if ! command -v ffmpeg >/dev/null 2>&1; then
  if [ "$apt_ok" = 1 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing ffmpeg (apt)"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ffmpeg >/dev/null
  else
    log "warning: ffmpeg is missing: cameras cannot run until it is installed (apt-get install ffmpeg)"
  fi
fi

# --- Service user -------------------------------------------------------------------
if [ "$useradd_ok" = 1 ]; then
  getent group "$svc_group" >/dev/null || { log "creating group $svc_group"; groupadd --system "$svc_group"; }
  if ! getent passwd "$svc_user" >/dev/null; then
    log "creating system user $svc_user"
    useradd --system --gid "$svc_group" --home-dir /var/lib/traycheck --no-create-home \
      --shell /usr/sbin/nologin --comment 'traycheck daemon' "$svc_user"
  fi
fi
getent passwd "$svc_user" >/dev/null || die "user $svc_user does not exist (drop --no-useradd to create it)"
getent group "$svc_group" >/dev/null || die "group $svc_group does not exist"

# --- Config and data directories -------------------------------------------------------
install -d -m 0755 "$P/etc" "$P/var/lib" "$P/opt"
install -d -m 0750 -o root -g "$svc_group" "$P/etc/traycheck"
install -d -m 0750 -o "$svc_user" -g "$svc_group" "$P/var/lib/traycheck"
config="$P/etc/traycheck/traycheck.yaml"
if [ ! -e "$config" ]; then
  log "writing $config from config/traycheck.example.yaml (edit cameras, menu, MQTT)"
  tmp=$(mktemp "$P/etc/traycheck/.traycheck.yaml.XXXXXX")
  sed -e 's#^\(  *model: *\)\.\./models/#\1/opt/traycheck/models/#' \
    -e 's#^\(  *dataDir: *\)\.\./data\b#\1/var/lib/traycheck#' \
    "$src/config/traycheck.example.yaml" >"$tmp"
  mv "$tmp" "$config"
else
  log "keeping existing $config"
fi
chown root:"$svc_group" "$config"
chmod 0640 "$config"

# --- The app: /opt/traycheck-<version>, switched in atomically ---------------------------
target="$P/opt/traycheck-$version"
link="$P/opt/traycheck"
staging="$P/opt/.traycheck-$version.staging.$$"
trap 'rm -rf "$staging" "$staging.old" "$link.new.$$"' EXIT
previous=$(readlink "$link" 2>/dev/null || true)

bash "$src/scripts/stage-app.sh" "${stage_flags[@]}" "$src" "$staging"
deps_hash=$(cat "$staging/package.json" "$staging/package-lock.json" | sha256sum | cut -d' ' -f1)

if [ -n "$node_modules_from" ]; then
  [ -d "$node_modules_from" ] || die "--node-modules $node_modules_from is not a directory"
  log "production node_modules from $node_modules_from"
  cp -a "$node_modules_from" "$staging/node_modules"
elif [ -d "$link/node_modules" ] && [ "$(cat "$link/.deps-sha256" 2>/dev/null)" = "$deps_hash" ]; then
  log "production node_modules unchanged: reusing $(readlink -f "$link")/node_modules"
  # Hard links: the installed tree is never modified in place, so versions can share inodes.
  cp -al "$link/node_modules" "$staging/node_modules" 2>/dev/null || cp -a "$link/node_modules" "$staging/node_modules"
else
  log "installing production dependencies (npm ci --omit=dev; native modules may compile: minutes on a Pi)"
  (cd "$staging" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --omit=dev --no-audit --no-fund --loglevel=error)
fi
bash "$src/scripts/prune-modules.sh" "$staging/node_modules"
echo "$deps_hash" >"$staging/.deps-sha256"
(cd "$staging" && npm ls --omit=dev --all >/dev/null 2>&1) ||
  die "production dependencies in $staging are incomplete or do not match package-lock.json (npm ls --omit=dev)"
got=$("$node_bin" "$staging/dist/src/cli/main.js" --version) || die "the staged app does not start: node $staging/dist/src/cli/main.js --version"
[ "$got" = "$version" ] || die "the staged app reports version $got, expected $version"

chown -R root:root "$staging"
chmod -R u+rwX,go+rX,go-w "$staging"
if [ -e "$target" ]; then
  mv "$target" "$staging.old"
  mv "$staging" "$target"
  rm -rf "$staging.old"
else
  mv "$staging" "$target"
fi
ln -s "traycheck-$version" "$link.new.$$"
mv -T "$link.new.$$" "$link"
if [ -n "$previous" ] && [ "$previous" != "traycheck-$version" ]; then
  log "switched /opt/traycheck from $previous to traycheck-$version (rollback: docs/operations.md)"
fi

# Keep the newest $keep versions (the current one always stays).
mapfile -t old < <(cd "$P/opt" && ls -1dt traycheck-*/ 2>/dev/null | sed 's#/$##' | grep -vx "traycheck-$version" || true)
for ((i = keep - 1; i < ${#old[@]}; i++)); do
  log "removing old version ${old[$i]}"
  rm -rf "${P:?}/opt/${old[$i]}"
done

# --- CLI wrapper and systemd unit ------------------------------------------------------
install -d -m 0755 "$P/usr/local/bin" "$P/etc/systemd/system"
cat >"$P/usr/local/bin/traycheck.new.$$" <<EOF
#!/bin/sh
exec $node_bin /opt/traycheck/dist/src/cli/main.js "\$@"
EOF
chmod 0755 "$P/usr/local/bin/traycheck.new.$$"
mv "$P/usr/local/bin/traycheck.new.$$" "$P/usr/local/bin/traycheck"
unit="$P/etc/systemd/system/traycheck.service"
sed "s#^ExecStart=/usr/bin/node #ExecStart=$node_bin #" "$src/systemd/traycheck.service" >"$unit.new.$$"
chmod 0644 "$unit.new.$$"
mv "$unit.new.$$" "$unit"

if [ "$systemctl_mode" = auto ]; then
  if [ -z "$P" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl_mode=yes
  else
    systemctl_mode=no
  fi
fi
if [ "$systemctl_mode" = yes ]; then
  systemctl daemon-reload
  systemctl enable traycheck.service >/dev/null
  if ! "$node_bin" "$target/dist/src/cli/main.js" check-config "$config" >/dev/null 2>&1; then
    log "warning: $config has errors (traycheck check-config $config); fix it, then: systemctl restart traycheck"
  elif systemctl is-active --quiet traycheck.service; then
    log "restarting traycheck"
    systemctl restart traycheck.service
  else
    log "starting traycheck"
    systemctl start traycheck.service
  fi
else
  log "systemd not used here: start it with systemctl enable --now traycheck (or run: traycheck run --config /etc/traycheck/traycheck.yaml)"
fi
log "done: traycheck $version in ${P:-}/opt/traycheck-$version"
