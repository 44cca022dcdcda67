/**
 * e3nn's Gate as WGSL, forward and backward, one invocation per row (any domain), matching
 * compiler/reference/gate.ts: each input row is scalars ⊕ gates ⊕ gated; the output row is
 * [actScalarsScale · actScalars(scalars), actGatesScale · actGates(gate_j) · (gated copy j) for each gated irrep
 * copy j in order].
 */
import type { LayerIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { activationWGSL, f32, type KernelPair, readF32, rowKernel, u32, writeF32 } from "./common.js";

export type GateLayerIR = Extract<LayerIR, { op: "gate" }>;

/**
 * forward — bindings `x` (read, rows of dim(scalars) + dim(gates) + dim(gated)), `out` (assigned, rows of
 * dim(scalars) + dim(gated)); one invocation per row of the layer's domain.
 * backward — bindings `x` (read), `grad_out` (read), `grad_x` (+=); same domain.
 */
export function gateKernels(layer: GateLayerIR): KernelPair {
  const s = Irreps.parse(layer.scalars), g = Irreps.parse(layer.gates), v = Irreps.parse(layer.gated);
  if (s.entries.some((e) => e.l !== 0) || g.entries.some((e) => e.l !== 0)) throw new Error(`gate '${layer.name}': scalars and gates must be scalars`);
  if (g.dim !== v.numIrreps) throw new Error(`gate '${layer.name}': ${g.dim} gates for ${v.numIrreps} gated irreps`);
  const dS = s.dim, nG = g.dim, dIn = s.dim + g.dim + v.dim, dOut = s.dim + v.dim;
  if (dOut === 0) throw new Error(`gate '${layer.name}': no scalars and nothing gated`);
  const cS = f32(layer.actScalarsScale), cG = f32(layer.actGatesScale);
  const aS = layer.actScalars, aG = layer.actGates;
  const helpers = [...new Set([aS, aG])].map(activationWGSL);

  const fwd = [`  let xi = row * ${u32(dIn)};`, `  let oi = row * ${u32(dOut)};`];
  const bwd = [...fwd];
  if (dS > 0) {
    fwd.push(`  for (var i = 0u; i < ${u32(dS)}; i++) { out[oi + i] = ${cS} * act_${aS}(x[xi + i]); }`);
    bwd.push(`  for (var i = 0u; i < ${u32(dS)}; i++) { grad_x[xi + i] += grad_out[oi + i] * ${cS} * dact_${aS}(x[xi + i]); }`);
  }
  // One loop per gated entry (mul copies of one irrep); the 2l+1 components are unrolled.
  let gate = 0, off = 0;
  for (const e of v.entries) {
    if (e.mul === 0) continue;
    const d = e.ir.dim;
    const head = [
      `  // gated ${e.mul}x${e.ir.toString()}: gates ${gate}..${gate + e.mul - 1}`,
      `  for (var u = 0u; u < ${u32(e.mul)}; u++) {`,
      `    let z = x[xi + ${u32(dS + gate)} + u];`,
      `    let xv = xi + ${u32(dS + nG + off)} + u * ${u32(d)};`,
      `    let ov = oi + ${u32(dS + off)} + u * ${u32(d)};`,
      `    let gate = ${cG} * act_${aG}(z);`,
    ];
    fwd.push(...head);
    for (let k = 0; k < d; k++) fwd.push(`    out[ov + ${u32(k)}] = gate * x[xv + ${u32(k)}];`);
    fwd.push("  }");
    bwd.push(...head, "    var dot = 0.0;");
    for (let k = 0; k < d; k++) {
      const K = u32(k);
      bwd.push(`    let g${k} = grad_out[ov + ${K}];`, `    dot += g${k} * x[xv + ${K}];`, `    grad_x[xv + ${K}] += g${k} * gate;`);
    }
    bwd.push(`    grad_x[xi + ${u32(dS + gate)} + u] += dot * ${cG} * dact_${aG}(z);`, "  }");
    gate += e.mul;
    off += e.mul * d;
  }
  return {
    forward: rowKernel([readF32("x"), writeF32("out")], fwd, helpers),
    backward: rowKernel([readF32("x"), readF32("grad_out"), writeF32("grad_x")], bwd, helpers),
  };
}
