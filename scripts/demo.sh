#!/usr/bin/env bash
# `npm run demo` (after scripts/setup.sh): build regnnc, compile the paper's cube -> square prism spec, and
# check the WebGPU device. Training and reading the learned symmetry back arrive with later versions.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
regnnc() { node dist/compiler/cli/regnnc.js "$@"; }

echo "regnn demo: building regnnc"
npm run --silent build
echo "regnn demo: checking every spec in specs/"
regnnc check specs/*.regnn
echo "regnn demo: compiling specs/cube_to_prism.regnn to its IR"
regnnc compile specs/cube_to_prism.regnn -o out/demo --emit ir
node -e '
  const ir = JSON.parse(require("fs").readFileSync("out/demo/CubeToPrism.ir.json", "utf8"));
  console.log(`  model ${ir.model}: keeps ${ir.symmetry.keep}, θ = ${ir.symmetry.theta.irreps}, ${ir.layers.length} layers (${ir.layers.map((l) => l.op).join(", ")}), ${ir.paramCount} parameters`);
'
echo "regnn demo: this version cannot train a model yet (the WGSL/TypeScript code generator and training arrive"
echo "            in later versions); checking the WebGPU device the kernels will run on: regnnc doctor"
regnnc doctor
