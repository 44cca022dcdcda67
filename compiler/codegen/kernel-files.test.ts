// Every kernel of every spec in specs/, as `regnnc compile --emit wgsl` writes it: it opens with the header
// naming the model and each step that runs it, declares nothing it never reads, and bakes no near-zero literal.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile.js";
import type { ModelIR } from "../ir/types.js";
import { kernelFiles } from "./kernel-files.js";
import { selectPlanShape } from "../../runtime/model/plan-shape.js";
import { planModel } from "./plan.js";
import { PlanBuilder } from "./plan-builder.js";
import { wgslCommentText } from "./text-safety.js";
import { readF32, rowKernel, writeF32 } from "./wgsl/common.js";

const specsDir = new URL("../../specs/", import.meta.url);
const specs = readdirSync(specsDir).filter((f) => f.endsWith(".regnn")).sort();

/** Every character WGSL ends a line comment at. */
const WGSL_LINE_BREAK = /[\n\v\f\r\u0085\u2028\u2029]/;

const identifiers = (code: string) => code.match(/\b[A-Za-z_][A-Za-z0-9_]*/g) ?? [];

/** `const`, `var`, `let` and binding names declared in `code` that occur nowhere else in it. */
function unread(code: string): string[] {
  const text = code.replace(/\/\/.*$/gm, "");
  const count = new Map<string, number>();
  for (const id of identifiers(text)) count.set(id, (count.get(id) ?? 0) + 1);
  const declared = [...text.matchAll(/\b(?:const|var|let)\s+([A-Za-z_][A-Za-z0-9_]*)/g), ...text.matchAll(/\bvar<[^>]*>\s+([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
  return [...new Set(declared)].filter((name) => count.get(name)! < 2);
}

/** Float literals in `code` whose magnitude is below 1e-12 but not 0. */
function nearZero(code: string): string[] {
  const text = code.replace(/\/\/.*$/gm, "");
  return [...text.matchAll(/(?<![\w.])(\d+\.\d*(?:e[+-]?\d+)?|\d+e[+-]?\d+)/g)].map((m) => m[1]!).filter((s) => Number(s) !== 0 && Math.abs(Number(s)) < 1e-12);
}

describe("the kernels of every spec", () => {
  for (const file of specs) {
    const ir = compileSource(readFileSync(new URL(file, specsDir), "utf8"), file).ir!;
    // The basis-table form needs the fully relaxed layout (wgsl/theta.ts, thetaTableKernels).
    const modes = ir.symmetry.keep === "C1" ? (["baked", "buffer"] as const) : (["baked"] as const);
    for (const thetaBasis of modes) {
      it(`${file} (θ basis ${thetaBasis}): headers, no unread declarations, no near-zero literals, in both kernel shapes`, () => {
        const both = planModel(ir, { thetaBasis });
        const all = kernelFiles(both);
        const problems: string[] = [];
        const shapes = [["wgsl/", selectPlanShape(both, "cpu")], ["wgsl/gpu/", selectPlanShape(both, "gpu")]] as const;
        expect(all.size).toBe(shapes[0][1].kernels.length + shapes[1][1].kernels.length);
        for (const [dir, plan] of shapes) {
          const files = [...all].filter(([path]) => path.startsWith(dir) && !path.slice(dir.length).includes("/"));
          expect(files.length).toBe(plan.kernels.length);
          files.forEach(([path, text], i) => {
            const kernel = plan.kernels[i]!;
            const steps = [...plan.forward, ...plan.backward, ...plan.update].filter((s) => s.kernel === i);
            const header = text.slice(0, text.indexOf("\n\n"));
            const lines = header.split("\n");
            if (lines[0] !== `// regnn kernel of model ${ir.model}`) problems.push(`${path}: header starts ${JSON.stringify(lines[0])}`);
            if (!lines.every((l) => l.startsWith("// ") && !WGSL_LINE_BREAK.test(l))) problems.push(`${path}: a header line is not one WGSL comment line`);
            for (const s of steps) if (!lines.some((l) => l.startsWith(`// step ${s.label}: `))) problems.push(`${path}: header does not name step ${s.label}`);
            if (!/^\/\/ step .*, (forward|update|input gradient|weight gradient|input and weight gradient|loss value|regularizer value|regularizer gradient)$/m.test(header)) problems.push(`${path}: header names no pass`);
            if (text !== `${header}\n\n${kernel.code}` || !kernel.code.startsWith("struct Params")) problems.push(`${path}: not the header then the code`);
            for (const name of unread(kernel.code)) problems.push(`${path}: '${name}' declared and never read`);
            for (const literal of nearZero(kernel.code)) problems.push(`${path}: near-zero literal ${literal}`);
          });
        }
        expect(problems).toEqual([]);
      });
    }
  }
});

describe("kernel headers", () => {
  it("name the layer, its op, the pass and the bindings of each step that runs the kernel", () => {
    const ir = compileSource(readFileSync(new URL("charged_particle.regnn", specsDir), "utf8"), "charged_particle.regnn").ir!;
    const plan = planModel(ir);
    const header = (label: string, pass: "forward" | "backward") => plan.kernels[plan[pass].find((s) => s.label === label)!.kernel]!.header;
    expect(header("y.forward", "forward")).toBe(
      [
        "// regnn kernel of model ChargedParticle",
        "// step y.forward: layer y (relaxed_node), forward",
        "//   bindings: x1=v.x, x2=s.y.theta, weight=params, tp_table=tp_table.0, out=v.y (written)",
      ].join("\n"),
    );
    expect(header("y.theta.backward", "backward")).toContain("// step y.theta.backward: layer y (relaxed_node), weight gradient");
    expect(header("x.accumulate.s.y.tp.gx1", "backward")).toContain("// step x.accumulate.s.y.tp.gx1: input x, input gradient");
  });

  it("list every step of a kernel shared by several, and stay out of the code pipelines are cached under", () => {
    const ir = { model: "M", layers: [], edgeAttrs: [], inputs: [], targets: [] } as unknown as ModelIR;
    const b = new PlanBuilder(ir);
    for (const name of ["a", "b", "c"]) b.buffer({ name, rows: "nodes", cols: 1, type: "f32", role: "scratch" });
    const copy = rowKernel([readF32("x"), writeF32("y")], ["  y[row] = x[row];"]);
    b.step("forward", "first", copy, "nodes", { x: "a", y: "b" });
    b.step("backward", "second", copy, "nodes", { x: "b", y: "c" });
    expect(b.kernels).toHaveLength(1);
    expect(b.kernels[0]!.code).toBe(copy.code);
    expect(b.kernels[0]!.header!.split("\n")).toEqual(["// regnn kernel of model M", "// step first: first, forward", "//   bindings: x=a, y=b (written)", "// step second: second, input gradient", "//   bindings: x=b, y=c (written)"]);
  });

  it("escape spec names so that none can end the comment, in WGSL's sense of a line break", () => {
    const hostile = "a\nb\rc\vd\fe\u0085f\u2028g\u2029h*/i/*j\u00e9";
    const safe = wgslCommentText(hostile);
    expect(/^[\x20-\x7e]*$/.test(safe)).toBe(true);
    expect(safe).not.toMatch(/\*\/|\/\*/);
    expect(safe).toBe("a\\u000ab\\u000dc\\u000bd\\u000ce\\u0085f\\u2028g\\u2029h*\\/i/\\*j\\u00e9");
    const ir = { model: hostile, layers: [{ name: hostile, op: "linear" }], edgeAttrs: [], inputs: [], targets: [] } as unknown as ModelIR;
    const b = new PlanBuilder(ir);
    b.buffer({ name: hostile, rows: "nodes", cols: 1, type: "f32", role: "scratch" });
    b.step("forward", `${hostile}.forward`, rowKernel([writeF32("y")], ["  y[row] = 1.0;"]), "nodes", { y: hostile });
    const lines = b.kernels[0]!.header!.split("\n");
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l.startsWith("// ") && /^[\x20-\x7e]*$/.test(l)).toBe(true);
  });
});
