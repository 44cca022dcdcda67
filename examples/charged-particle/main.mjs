// A plain Node app built on a model that regnnc compiled: no TypeScript, no regnn compiler at run time, only
// the generated module and the regnn runtime. It trains the paper's charged particle (a = E + v x B) with
// fit(), predicts held-out velocities, saves the weights, and prints what the relaxed weights θ learned.
//
//   npm run example          (from the repository root: builds, compiles the spec to model/, runs this)
import { writeFileSync } from "node:fs";
import { createDevice } from "regnn/runtime";
import { ChargedParticle } from "./model/ChargedParticle.js";

const E = [1, 0, 0], B = [0, 1, 0];

// A small seeded generator, so every run sees the same data.
let state = 12345;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

/** One sample as the compiled model takes it: a one-node graph with input x = [1, v] and target a. */
function sample() {
  const v = [normal(), normal(), normal()];
  const a = [E[0] + v[1] * B[2] - v[2] * B[1], E[1] + v[2] * B[0] - v[0] * B[2], E[2] + v[0] * B[1] - v[1] * B[0]];
  return { numNodes: 1, features: { x: [1, ...v], a } };
}

const gpu = await createDevice();
try {
  console.log(`WebGPU adapter: ${gpu.adapterInfo.text}`);
  const model = await ChargedParticle.create(gpu.device, { seed: 0 });
  const train = Array.from({ length: 256 }, sample);
  const t0 = performance.now();
  await model.fit(train, {
    onEpoch: ({ epoch, epochs, loss }) => {
      if (epoch % 50 === 0 || epoch === epochs) console.log(`epoch ${epoch}/${epochs}  loss ${loss.toExponential(3)}`);
    },
  });
  console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const test = Array.from({ length: 4 }, sample);
  const { acc } = await model.forward(test);
  let worst = 0;
  test.forEach((g, i) => {
    const predicted = Array.from(acc.slice(3 * i, 3 * i + 3));
    worst = Math.max(worst, ...predicted.map((p, k) => Math.abs(p - g.features.a[k])));
    const fmt = (v) => `(${v.map((x) => x.toFixed(4)).join(", ")})`;
    console.log(`v = ${fmt(g.features.x.slice(1))}  predicted a = ${fmt(predicted)}  true a = ${fmt(g.features.a)}`);
  });
  console.log(`largest error on the held-out samples: ${worst.toExponential(2)}`);

  const [{ theta }] = await model.thetas(); // θ = 0e, 0o, 1o (x, y, z), 1e (x, y, z)
  console.log(`θ's polar vector 1o = (${Array.from(theta.slice(2, 5), (x) => x.toFixed(3)).join(", ")}), along E = (1, 0, 0)`);
  console.log(`θ's axial vector 1e = (${Array.from(theta.slice(5, 8), (x) => x.toFixed(3)).join(", ")}), along B = (0, 1, 0)`);

  writeFileSync(new URL("./weights.safetensors", import.meta.url), await model.save());
  console.log("saved the weights to examples/charged-particle/weights.safetensors");
  model.destroy();
} finally {
  gpu.destroy();
}
