/**
 * The demo's main job: compile specs/cube_to_prism.regnn, train it on the WebGPU device on the paper's
 * cube -> square prism data, and read the symmetry the relaxed weights θ learned.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { planModel } from "../compiler/codegen/plan.js";
import { compileSource } from "../compiler/compile.js";
import { detectSymmetry } from "../compiler/o3/detect-symmetry.js";
import { CompiledModel, createDevice } from "../runtime/index.js";
import { cubeToPrism } from "./paper-data.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const specPath = process.argv[2] ?? "specs/cube_to_prism.regnn";

async function main(): Promise<void> {
  const { ir, diagnostics } = compileSource(readFileSync(join(root, specPath), "utf8"), specPath);
  if (!ir) throw new Error(`${specPath} does not compile: ${diagnostics.map((d) => d.message).join("; ")}`);
  const ctx = await createDevice();
  const model = await CompiledModel.fromPlan(ctx.device, planModel(ir), { seed: ir.train.seed });
  const data = cubeToPrism(); // the square prism: x and y halved, z doubled
  const graph = { numNodes: data.nodes, features: { ...data.inputs, ...data.targets } };
  const epochs = ir.train.epochs;
  console.log(`training ${ir.model} (${ir.paramCount} parameters, θ = ${ir.symmetry.theta?.irreps}) on ${ctx.adapterInfo.text}`);
  const t0 = performance.now();
  let first = NaN, last = NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const { loss } = await model.trainStep([graph], { epoch });
    if (epoch === 0) first = loss;
    last = loss;
    if (epoch % Math.max(1, Math.floor(epochs / 8)) === 0 || epoch === epochs - 1) {
      const s = (performance.now() - t0) / 1000;
      console.log(`  epoch ${String(epoch + 1).padStart(5)}/${epochs}  loss ${loss.toExponential(3)}  ${s.toFixed(1)} s`);
    }
  }
  console.log(`loss ${first.toExponential(3)} -> ${last.toExponential(3)} (${(last / first).toExponential(2)} of its start) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await model.forward([graph]);
  for (const { layer, irreps, theta } of await model.thetas()) {
    const found = detectSymmetry(Float64Array.from(theta), irreps);
    const axis = found.axis ? ` axis (${found.axis.map((v) => v.toFixed(3)).join(", ")})` : "";
    const broken = found.breaking.filter((b) => b.norm > 1e-3).map((b) => `${b.irrep} ${b.norm.toFixed(3)}`).join(", ");
    console.log(`layer ${layer}: kept ${found.group}${axis.replace(/-0\.000/g, "0.000")}; θ's non-scalar norms: ${broken || "none"}`);
  }
  const weightsPath = process.argv[3];
  if (weightsPath) {
    // Written beside, then renamed: an interrupted run never leaves half a weights file.
    mkdirSync(dirname(weightsPath), { recursive: true });
    writeFileSync(`${weightsPath}.tmp`, await model.save());
    renameSync(`${weightsPath}.tmp`, weightsPath);
    console.log(`wrote ${weightsPath}`);
  }
  model.destroy();
  ctx.destroy();
}

main().catch((e: unknown) => {
  console.error(`regnn demo: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
