#!/usr/bin/env bash
# `npm run demo` (after scripts/setup.sh): build regnnc, then the main job. Until the language and training
# land there is no model to compile or train, so the job is the WebGPU device check `regnnc doctor`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"

echo "regnn demo: building regnnc"
npm run --silent build
echo "regnn demo: this version cannot compile or train a model yet (the .regnn language and training arrive"
echo "            in later versions); running the WebGPU device check instead: regnnc doctor"
node dist/compiler/cli/regnnc.js doctor
