#!/usr/bin/env bash
# `npm run demo` (after scripts/setup.sh): for now a WebGPU device smoke check.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"

echo "regnn demo: this version has no model compiler or trainer yet; compiling and training a .regnn model arrives in a later version. Checking the WebGPU device instead."
node scripts/smoke.mjs
