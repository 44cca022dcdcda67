// The plan of every spec in specs/, for each shape and option set the callers use, as a readable golden:
// buffers, kernels (label and a hash of the WGSL), each pass's steps (label, kernel, bindings, dispatch
// extent, loop bound), plus a hash of the whole plan so that nothing the listing leaves out can drift.
// A refactor of the planner must leave these files unchanged.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile.js";
import type { ModelIR } from "../ir/types.js";
import type { Extent, ModelPlan } from "../../runtime/model/plan.js";
import { planModel, type PlanOptions } from "./plan.js";

const hash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);
const extent = (e: Extent) => (typeof e === "string" ? e : JSON.stringify(e));

function render(plan: ModelPlan): string {
  const lines: string[] = [`plan ${hash(JSON.stringify(plan))}`, "", "buffers:"];
  for (const b of plan.buffers) {
    const values = b.values ? ` values=${b.values.length}#${hash(JSON.stringify(b.values))}` : "";
    const extra = b.extraRows ? `+${b.extraRows}` : "";
    const source = b.source ? ` source=${b.source}` : "";
    lines.push(`  ${b.name} ${extent(b.rows)}${extra} x ${b.cols} ${b.type} ${b.role}${source}${values}`);
  }
  lines.push("", "kernels:");
  plan.kernels.forEach((k, i) => lines.push(`  #${i} ${k.label} wgsl#${hash(k.code)}`));
  for (const pass of ["forward", "backward", "update"] as const) {
    lines.push("", `${pass}:`);
    for (const s of plan[pass]) lines.push(`  ${s.label} #${s.kernel} over ${extent(s.rows)} loop=${JSON.stringify(s.loop)} [${s.buffers.join(", ")}]`);
  }
  const { kernels: _k, buffers: _b, forward: _f, backward: _bw, update: _u, ...rest } = plan;
  lines.push("", "rest:");
  for (const [key, value] of Object.entries(rest)) lines.push(`  ${key}: ${JSON.stringify(value)}`);
  return `${lines.join("\n")}\n`;
}

// One shape each (a plan without `shape` carries both: runtime/model/plan-shape.test.ts holds each of its
// shapes equal to the plan made for that shape, so these goldens cover it).
const OPTION_SETS: Record<string, PlanOptions> = {
  cpu: { shape: "cpu" },
  gpu: { shape: "gpu" },
  "gpu-2gib": { shape: "gpu", maxBindingBytes: 2 ** 31, gpuBlocks: { nodes: 4, edges: 8 } },
  "no-input-grad.split64": { shape: "cpu", inputGradients: false, splitCols: 64 },
  // `regnnc discover`'s way (specs relaxed to C1); others must refuse it the same way as before.
  "theta-buffer": { shape: "cpu", thetaBasis: "buffer" },
};

function planText(ir: ModelIR, options: PlanOptions): string {
  try {
    return render(planModel(ir, options));
  } catch (e) {
    return `error: ${(e as Error).message}\n`;
  }
}

describe("the plan of every spec", () => {
  const dir = new URL("../../specs/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".regnn")).sort();
  const irOf = (f: string): ModelIR => {
    const { ir, diagnostics } = compileSource(readFileSync(new URL(f, dir), "utf8"), f);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return ir!;
  };

  it("covers every spec", () => expect(files.length).toBeGreaterThanOrEqual(10));

  for (const f of files) {
    for (const [name, options] of Object.entries(OPTION_SETS)) {
      it(`${f} (${name}) plans as in its golden`, async () => {
        await expect(planText(irOf(f), options)).toMatchFileSnapshot(`../../test/golden/plan/${f.replace(/\.regnn$/, "")}.${name}.txt`);
      });
    }
  }
});
