#!/usr/bin/env bash
# `npm run demo` (after scripts/setup.sh): build, check the specs, compile the paper's cube -> square prism
# spec to its IR, TypeScript / JavaScript module and WGSL kernels, write the paper's datasets, train the spec
# on the WebGPU device with `regnnc train`, read back the symmetry its relaxed weights learned, with a picture of
# θ, and ask `regnnc discover` which group the data keeps (the paper's answer: D4h, axis z).
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
echo "regnn demo: writing the paper's datasets to data/"
node dist/scripts/paper-data.js
echo "regnn demo: regnnc train specs/cube_to_prism.regnn --data data/cube_to_prism.json --out out/demo"
regnnc train specs/cube_to_prism.regnn --data data/cube_to_prism.json --out out/demo
echo "regnn demo: the symmetry θ learned, read from the saved weights, and with the cube's own group: regnnc inspect --data"
regnnc inspect out/demo/CubeToPrism.safetensors --spec specs/cube_to_prism.regnn --data data/cube_to_prism.json --picture out/demo/theta.png
echo "regnn demo: the loss curve is out/demo/loss.png, the log out/demo/loss.csv, the checkpoint out/demo/checkpoint.safetensors"
echo "regnn demo: which group does the data keep? regnnc discover (the spec relaxed to each subgroup of the cube's Oh)"
regnnc discover specs/cube_to_prism.regnn --data data/cube_to_prism.json --out out/demo/discover
