// The README's snippet keeps only the device (`const { device } = await createDevice()`). dawn.node frees its
// native instance when the JS object from `create()` is collected, so the runtime must hold it: otherwise a
// GC under a live device ends Node in native code (SIGSEGV / abort), with no JS error. A child process with
// `--expose-gc` forces that collection; the built runtime (dist/, made by `npm test`) runs the model.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = (path: string) => pathToFileURL(`${root}dist/${path}`).href;

const CHILD = `
import { readFileSync } from "node:fs";
const { createDevice } = await import(${JSON.stringify(dist("runtime/index.js"))});
const { CompiledModel } = await import(${JSON.stringify(dist("runtime/model/compiled-model.js"))});
const { compileSource } = await import(${JSON.stringify(dist("compiler/compile.js"))});
const { planModel } = await import(${JSON.stringify(dist("compiler/codegen/plan.js"))});
const collect = async () => { for (let i = 0; i < 6; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); } };

const file = ${JSON.stringify(`${root}specs/charged_particle.regnn`)};
const { ir } = compileSource(readFileSync(file, "utf8"), file);
const { device } = await createDevice();          // the context object is dropped here, as in the README
await collect();
const model = await CompiledModel.fromPlan(device, planModel(ir), { seed: 0 });
await collect();
const { acc } = await model.forward([{ numNodes: 1, features: { x: [1, 0.5, -0.25, 2], a: [0, 0, 0] } }]);
await collect();
// A second device after the first is destroyed still works (the instance is shared, not freed).
device.destroy();
await collect();
const again = await createDevice();
again.destroy();
console.log("acc " + JSON.stringify(Array.from(acc)));
`;

describe("createDevice lifetime", () => {
  it("survives a forced GC after the caller dropped everything but the device, and exits 0", () => {
    expect(existsSync(`${root}dist/runtime/index.js`), "dist/ is built by `npm test` (npm run build) before the tests").toBe(true);
    const run = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", CHILD], { cwd: root, encoding: "utf8", timeout: 170_000 });
    const why = `status ${run.status}, signal ${run.signal}; stderr:\n${run.stderr}`;
    expect(run.signal, why).toBeNull();
    expect(run.status, why).toBe(0);
    const line = run.stdout.split("\n").find((l) => l.startsWith("acc "));
    expect(line, run.stdout).toBeDefined();
    const acc = JSON.parse(line!.slice(4)) as number[];
    expect(acc).toHaveLength(3);
    for (const v of acc) expect(Number.isFinite(v)).toBe(true);
    expect(acc.some((v) => v !== 0)).toBe(true);
  });
});
