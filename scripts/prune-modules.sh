#!/usr/bin/env bash
# Remove other platforms' native binaries from a production node_modules: onnxruntime-node ships
# builds for every OS and CPU (about 290 MB), of which this box uses one (25-45 MB).
# Used by scripts/install.sh and Dockerfile.arm64.   scripts/prune-modules.sh NODE_MODULES
set -euo pipefail
nm=${1:?usage: prune-modules.sh NODE_MODULES}
keep="$(node -p process.platform)/$(node -p process.arch)"
for dir in "$nm"/onnxruntime-node/bin/napi-v*/*/*; do
  [ -d "$dir" ] || continue
  case "$dir" in
    */"$keep") ;;
    *) rm -rf "$dir" ;;
  esac
done
