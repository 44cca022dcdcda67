/**
 * The `norm` layer (an equivariant instance norm) as WGSL, forward and backward, one invocation per row (any
 * domain), matching compiler/reference/norm.ts: for each row and each irrep block (mul x ir, as the input
 * irreps are written), a 0e block is first centred (its mean over the block's entries subtracted); then
 * n² = mean over the block's mul·(2l+1) entries of y², s = sqrt(n² + eps), and out = y / s · weight[copy],
 * with one weight per irrep copy over the whole input (numIrreps weights, in order).
 *
 * Backward, with N = mul·(2l+1), w_(i) the weight of entry i's copy and dot = Σ_i g_i w_(i) y_i:
 * dL/dy_i = g_i w_(i) / s − y_i · dot / (N s³), minus its block mean for a centred block; and
 * dL/dw_u = Σ_(i in copy u) g_i y_i / s, written per row for a column sum to reduce.
 */
import { normBlocks } from "../../nn/norm-blocks.js";
import { checkPositive, f32, type KernelPair, readF32, rowKernel, u32, writeF32 } from "./common.js";

/** The number of per-row weight gradients `normKernels` writes (the irreps' number of irrep copies). */
export function normWeightCount(irrepsIn: string): number {
  return normBlocks(irrepsIn).channels;
}

/**
 * forward — bindings `x` (read, rows of dim(irrepsIn)), `weight` (read: the model's flat parameters, the
 * norm's numIrreps weights starting at `weightOffset`), `out` (assigned, rows of dim(irrepsIn)).
 * backward — bindings `x` (read), `weight` (read), `grad_out` (read), `grad_x` (+=), `grad_weight_rows`
 * (assigned: rows × numIrreps, row r holding row r's contribution to each weight's gradient). Reduce it with
 * `columnSumKernel(numIrreps, domain, weightOffset, true)` into `grad_params`.
 * Both: one invocation per row of the layer's domain.
 */
export function normKernels(irrepsIn: string, eps: number, weightOffset: number): KernelPair {
  const { list, dim, channels } = normBlocks(irrepsIn);
  checkPositive(`norm '${irrepsIn}': dim`, dim);
  if (!Number.isInteger(weightOffset) || weightOffset < 0) throw new Error(`norm: weightOffset must be a non-negative integer, got ${weightOffset}`);
  const EPS = f32(eps), C = u32(channels);
  const fwd = [`  let base = row * ${u32(dim)};`];
  const bwd = [`  let base = row * ${u32(dim)};`];
  for (const b of list) {
    const n = b.mul * b.d, N = u32(n), NF = f32(n), D = u32(b.d);
    const y = (i: string) => (b.centre ? `(x[o + ${i}] - mean)` : `x[o + ${i}]`);
    const stats = [
      `  { // ${b.label}`,
      `    let o = base + ${u32(b.off)};`,
      ...(b.centre ? ["    var mean = 0.0;", `    for (var i = 0u; i < ${N}; i++) { mean += x[o + i]; }`, `    mean = mean / ${NF};`] : []),
      "    var sq = 0.0;",
      `    for (var i = 0u; i < ${N}; i++) { let y = ${y("i")}; sq += y * y; }`,
      `    let s = sqrt(sq / ${NF} + ${EPS});`,
    ];
    const copyLoop = (inner: string[]) => [
      `    for (var u = 0u; u < ${u32(b.mul)}; u++) {`,
      `      let w = weight[${u32(weightOffset + b.channel)} + u];`,
      ...inner,
      "    }",
    ];
    fwd.push(...stats, ...copyLoop([`      for (var k = 0u; k < ${D}; k++) { let i = u * ${D} + k; out[o + i] = ${y("i")} / s * w; }`]), "  }");
    bwd.push(
      ...stats,
      "    var dot = 0.0;",
      ...copyLoop([
        "      var gw = 0.0;",
        `      for (var k = 0u; k < ${D}; k++) { let i = u * ${D} + k; let y = ${y("i")}; let g = grad_out[o + i]; dot += g * w * y; gw += g * y; }`,
        `      grad_weight_rows[row * ${C} + ${u32(b.channel)} + u] = gw / s;`,
      ]),
      `    let c = dot / (${NF} * s * s * s);`,
    );
    const gy = `grad_out[o + i] * w / s - ${y("i")} * c`;
    if (b.centre) {
      bwd.push("    var mg = 0.0;", ...copyLoop([`      for (var k = 0u; k < ${D}; k++) { let i = u * ${D} + k; mg += ${gy}; }`]), `    mg = mg / ${NF};`);
    }
    bwd.push(...copyLoop([`      for (var k = 0u; k < ${D}; k++) { let i = u * ${D} + k; grad_x[o + i] += ${gy}${b.centre ? " - mg" : ""}; }`]), "  }");
  }
  return {
    forward: rowKernel([readF32("x"), readF32("weight"), writeF32("out")], fwd),
    backward: rowKernel([readF32("x"), readF32("weight"), readF32("grad_out"), writeF32("grad_x"), writeF32("grad_weight_rows")], bwd),
  };
}
