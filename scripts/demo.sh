#!/usr/bin/env bash
# `npm run demo` (after scripts/setup.sh): build, check the specs, compile the paper's cube -> square prism
# spec to its IR, TypeScript module and WGSL kernels, then train it on the WebGPU device and read back the
# symmetry its relaxed weights learned (the paper's answer: D4h, axis z).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
regnnc() { node dist/compiler/cli/regnnc.js "$@"; }

echo "regnn demo: building regnnc"
npm run --silent build
echo "regnn demo: checking every spec in specs/"
regnnc check specs/*.regnn
echo "regnn demo: compiling specs/cube_to_prism.regnn (IR, TypeScript module, WGSL kernels)"
regnnc compile specs/cube_to_prism.regnn -o out/demo --emit all | sed -n '1,2p;$p'
echo "regnn demo: training on the WebGPU device (the first step compiles the kernels)"
node dist/scripts/train-demo.js specs/cube_to_prism.regnn out/demo/CubeToPrism.safetensors
echo "regnn demo: the same reading from the saved weights: regnnc inspect"
regnnc inspect out/demo/CubeToPrism.safetensors --spec specs/cube_to_prism.regnn --picture out/demo/theta.png
