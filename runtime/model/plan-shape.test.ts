// A plan planned without a shape carries both kernel shapes; choosing one gives exactly the plan the planner
// makes for that shape, and the device's class chooses when the caller does not.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../compiler/compile.js";
import type { ModelIR } from "../../compiler/ir/types.js";
import { GPU_VARIANT_BINDING_BYTES, planModel, type PlanOptions } from "../../compiler/codegen/plan.js";
import { deviceClassOf } from "../device.js";
import { planForDevice } from "./executor.js";
import { selectPlanShape } from "./plan-shape.js";

const specsDir = new URL("../../specs/", import.meta.url);
const specs = readdirSync(specsDir).filter((f) => f.endsWith(".regnn")).sort();
const irOf = (file: string): ModelIR => compileSource(readFileSync(new URL(file, specsDir), "utf8"), file).ir!;

describe("a plan with both kernel shapes", () => {
  it("covers every spec", () => expect(specs.length).toBeGreaterThanOrEqual(10));

  for (const file of specs) {
    it(`${file}: each shape chosen is the plan made for that shape`, () => {
      const ir = irOf(file);
      const both = planModel(ir);
      expect(selectPlanShape(both, "cpu")).toEqual(planModel(ir, { shape: "cpu" }));
      expect(selectPlanShape(both, "gpu")).toEqual(planModel(ir, { shape: "gpu", maxBindingBytes: GPU_VARIANT_BINDING_BYTES }));
      // Plain JSON: what the generated module embeds reads back as the same plan.
      expect(JSON.parse(JSON.stringify(both))).toEqual(both);
      // Checkpoints hold the optimiser state by buffer name (compiler/cli/checkpoint.ts): the same in both shapes.
      const state = (plan: typeof both) => plan.buffers.filter((b) => b.role === "state");
      expect(state(selectPlanShape(both, "gpu"))).toEqual(state(both));
    });
  }

  it("passes the other options to both shapes, and the binding limit to the GPU shape when given", () => {
    const ir = irOf("cube_to_prism.regnn");
    const options: PlanOptions = { inputGradients: false, splitCols: 64, maxBindingBytes: 2 ** 28, gpuBlocks: { nodes: 4, edges: 8 } };
    const both = planModel(ir, options);
    expect(both.gpu!.maxBindingBytes).toBe(2 ** 28);
    expect(selectPlanShape(both, "cpu")).toEqual(planModel(ir, { ...options, shape: "cpu" }));
    expect(selectPlanShape(both, "gpu")).toEqual(planModel(ir, { ...options, shape: "gpu" }));
  });

  it("bench_conv: the GPU shape reduces by block sums, and no kernel's WGSL is carried twice", () => {
    const plan = planModel(irOf("bench_conv.regnn"));
    const gpu = plan.gpu!;
    expect(gpu.maxBindingBytes).toBe(2 ** 31);
    const gpuPlan = selectPlanShape(plan, "gpu");
    expect(gpuPlan.backward.filter((s) => s.label.endsWith(".level0")).length, "block-sum trees").toBeGreaterThan(0);
    expect(plan.backward.some((s) => s.label.endsWith(".level0")), "the CPU shape sums in one pass").toBe(false);
    // The GPU shape's own kernels: none has WGSL the base has, none repeats another.
    const own = gpu.kernels.filter((k) => !("base" in k)).map((k) => ("code" in k ? k.code : ""));
    const base = new Set(plan.kernels.map((k) => k.code));
    expect(own.filter((c) => base.has(c))).toEqual([]);
    expect(new Set(own).size).toBe(own.length);
    const shared = gpu.kernels.filter((k) => "base" in k);
    expect(shared.length, "kernels both shapes run (forward ones)").toBeGreaterThan(0);
    expect(gpuPlan.kernels.length).toBe(gpu.kernels.length);
    // Identically declared buffers (constant tables above all) are referred to by name, not repeated.
    expect(gpu.buffers.filter((b) => typeof b === "string").length).toBeGreaterThan(0);
    for (const b of gpu.buffers) if (typeof b !== "string") expect(JSON.stringify(plan.buffers.find((x) => x.name === b.name))).not.toBe(JSON.stringify(b));
    // Workgroups: one SIMD group on lavapipe (so small reductions spread over its threads), two warps on a GPU.
    expect([plan.workgroupSize, gpuPlan.workgroupSize, selectPlanShape(plan, "cpu").workgroupSize]).toEqual([8, 64, 8]);
    expect(plan.kernels.every((k) => k.code.includes("override wg_size: u32 = 64u;\n@compute @workgroup_size(wg_size)"))).toBe(true);
  });

  it("an explicit shape gives that one shape, without a variant", () => {
    const ir = irOf("charged_particle.regnn");
    expect(planModel(ir, { shape: "cpu" }).gpu).toBeUndefined();
    expect(planModel(ir, { shape: "gpu" }).gpu).toBeUndefined();
  });

  it("a single-shape plan refuses a chosen shape, and a variant that refers to what the plan lacks is named", () => {
    const ir = irOf("charged_particle.regnn");
    expect(() => selectPlanShape(planModel(ir, { shape: "cpu" }), "gpu")).toThrow(/ChargedParticle.*single kernel shape/);
    const plan = planModel(ir);
    const badKernel = { ...plan, gpu: { ...plan.gpu!, kernels: [{ label: "k", base: 999 }] } };
    expect(() => selectPlanShape(badKernel, "gpu")).toThrow("the GPU shape's kernel 0 refers to base kernel 999, which the plan does not have");
    const badBuffer = { ...plan, gpu: { ...plan.gpu!, buffers: ["nope"] } };
    expect(() => selectPlanShape(badBuffer, "gpu")).toThrow("the GPU shape refers to buffer 'nope', which the plan does not declare");
    expect(() => selectPlanShape(plan, "tpu" as "gpu")).toThrow('unknown kernel shape "tpu"');
  });
});

describe("the shape a device runs", () => {
  const plan = planModel(irOf("charged_particle.regnn"));
  const fakeDevice = (adapterInfo?: Partial<GPUAdapterInfo>) => ({ ...(adapterInfo ? { adapterInfo } : {}) }) as unknown as GPUDevice;

  it("follows the class of a device made elsewhere, read from its adapterInfo; without one, a GPU", () => {
    const lavapipe = fakeDevice({ vendor: "mesa", architecture: "software", device: "llvmpipe-llvm-15", description: "llvmpipe: Mesa 25.0.7" });
    const h200 = fakeDevice({ vendor: "nvidia", architecture: "hopper", device: "", description: "NVIDIA H200" });
    const browser = fakeDevice();
    expect([deviceClassOf(lavapipe), deviceClassOf(h200), deviceClassOf(browser)]).toEqual(["cpu", "gpu", "gpu"]);
    expect(planForDevice(lavapipe, plan)).toEqual(selectPlanShape(plan, "cpu"));
    expect(planForDevice(h200, plan)).toEqual(selectPlanShape(plan, "gpu"));
    expect(planForDevice(h200, plan).gpu).toBeUndefined();
  });

  it("is forced by the caller's shape; a single-shape plan runs as it is, and refuses a forced shape", () => {
    const lavapipe = fakeDevice({ vendor: "mesa", architecture: "software", device: "llvmpipe", description: "" });
    expect(planForDevice(lavapipe, plan, "gpu")).toEqual(selectPlanShape(plan, "gpu"));
    const single = planModel(irOf("charged_particle.regnn"), { shape: "gpu" });
    expect(planForDevice(lavapipe, single)).toBe(single);
    expect(() => planForDevice(lavapipe, single, "gpu")).toThrow("single kernel shape");
  });
});
