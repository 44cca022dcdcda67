/**
 * WGSL for a relaxed layer's θ = B c (compiler/reference/theta.ts) and for the θ regularisers
 * (compiler/reference/regularization.ts). All f32, one invocation per row; block boundaries, basis entries
 * and offsets are baked in (zero basis entries dropped).
 *
 * Layout: θ follows the layer's θ irreps, `mul` copies per block (θ_{block,u} at θ offset
 * Σ_{earlier blocks} mul·(2l+1) + u·(2l+1)); the coefficients are block by block, copy-major:
 * c[block][u][k] at `coefficientOffset` + Σ_{earlier blocks} mul·rank + u·rank + k, and
 * θ_{block,u} = Σ_k c[block][u][k] · basis[k].
 *
 * The flat parameter vector is bound under the WGSL name `model_params` (the executor's "params" buffer:
 * `params` itself is the uniform every kernel gets) and its gradient as `grad_params`.
 */
import type { LayerIR, ModelIR, ThetaBlockIR, TrainIR } from "../../ir/types.js";
import { invariantBasis } from "../../o3/invariant-basis.js";
import { Irrep, Irreps } from "../../o3/irreps.js";
import { pointGroup } from "../../o3/point-groups.js";
import { describedRowKernel, f32, rangeBranches, readF32, type RowKernel, u32, writeF32 } from "./common.js";

interface BlockLayout {
  l: number;
  scalar: boolean; // 0e: never regularised
  d: number;
  rank: number;
  /** basis[k][i], rank x d. */
  basis: number[][];
  thetaOffset: number;
  coefOffset: number;
}

/**
 * A basis row with the entries below 1e-12 of its largest set to exactly 0: they are rounding left over from
 * computing the basis (e.g. -6.9e-18 beside entries near 1), and baked in they would be dead multiplies.
 */
export function cleanBasisRow(row: readonly number[]): number[] {
  const top = Math.max(0, ...row.map(Math.abs));
  return row.map((x) => (Math.abs(x) < 1e-12 * top ? 0 : x));
}

/** `row - off`, or `row` itself at offset 0. */
function minus(off: number): string {
  return off === 0 ? "row" : `row - ${u32(off)}`;
}

function blockLayout(blocks: readonly ThetaBlockIR[], mul: number): { blocks: BlockLayout[]; dim: number; coefficients: number } {
  if (!Number.isInteger(mul) || mul < 1) throw new Error(`theta kernels: mul ${mul} must be a positive integer`);
  let thetaOffset = 0, coefOffset = 0;
  const out = blocks.map((b): BlockLayout => {
    const ir = Irrep.parse(b.irrep);
    const d = ir.dim;
    if (b.basis.some((row) => row.length !== d)) throw new Error(`theta kernels: block ${b.irrep} has basis rows of length other than ${d}`);
    const layout = { l: ir.l, scalar: ir.l === 0 && ir.p === 1, d, rank: b.basis.length, basis: b.basis.map(cleanBasisRow), thetaOffset, coefOffset };
    thetaOffset += mul * d;
    coefOffset += mul * b.basis.length;
    return layout;
  });
  return { blocks: out, dim: thetaOffset, coefficients: coefOffset };
}

/** `a * x + b * y` from (coefficient, operand) pairs, dropping zero coefficients; "0.0" when empty. */
function dotExpr(pairs: [number, string][]): string {
  const parts = pairs.filter(([c]) => Math.fround(c) !== 0).map(([c, x]) => (Math.fround(c) === 1 ? x : `${f32(c)} * ${x}`));
  return parts.length ? parts.join(" + ") : "0.0";
}

/** `switch sel { case 0u: { target = expr0; } ... }` (cases whose expression is 0 omitted), or the single case. */
function switchLines(sel: string, target: string, exprs: string[], indent: string): string[] {
  if (exprs.length === 1) return [`${indent}${target} = ${exprs[0]};`];
  const lines = [`${indent}switch ${sel} {`];
  exprs.forEach((e, n) => {
    if (e !== "0.0") lines.push(`${indent}  case ${u32(n)}: { ${target} = ${e}; }`);
  });
  lines.push(`${indent}  default: {}`, `${indent}}`);
  return lines;
}

export interface ThetaKernels {
  /**
   * θ = B c, rows = { count: thetaDim }:
   *   - `model_params` (read, f32): the coefficients at `coefficientOffset`
   *   - `theta` (read_write, f32, thetaDim): writes θ (`=`)
   */
  forward: RowKernel;
  /**
   * dL/dc = Bᵀ dL/dθ, rows = { count: coefficients }:
   *   - `grad_theta` (read, f32, thetaDim)
   *   - `grad_params` (read_write, f32): ADDS into the coefficients' entries at `coefficientOffset` (`+=`)
   */
  backward: RowKernel;
  thetaDim: number;
  coefficients: number;
}

/**
 * θ's kernels for one relaxed layer.
 * @param blocks the bases of the layer's θ irreps, in order (see {@link layerThetaBlocks}); each block's own
 *   `mul` is ignored: every block has `mul` copies.
 * @param mul copies per block (the layer's θ multiplicity).
 * @param coefficientOffset where the layer's coefficients start in the flat parameters.
 */
export function thetaKernels(blocks: readonly ThetaBlockIR[], mul: number, coefficientOffset: number): ThetaKernels {
  u32(coefficientOffset);
  const lay = blockLayout(blocks, mul);
  const nonEmpty = lay.blocks.filter((b) => b.rank > 0);

  // forward: θ entry `row` -> block, copy u, component i.
  const fwd = ["  var v = 0.0;"];
  const fwdOpen = rangeBranches(nonEmpty.map((b) => ({ lo: b.thetaOffset, hi: b.thetaOffset + mul * b.d })), lay.dim);
  nonEmpty.forEach((b, n) => {
    fwd.push(
      fwdOpen[n]!,
      `    // block ${b.l}: ${b.rank} x ${b.d} basis`,
      `    let local = ${minus(b.thetaOffset)};`,
      `    let c = ${u32(coefficientOffset + b.coefOffset)} + (local / ${u32(b.d)}) * ${u32(b.rank)};`,
    );
    if (b.d > 1) fwd.push(`    let i = local % ${u32(b.d)};`);
    const exprs = Array.from({ length: b.d }, (_, i) => dotExpr(b.basis.map((row, k): [number, string] => [row[i]!, `model_params[c + ${u32(k)}]`])));
    fwd.push(...switchLines("i", "v", exprs, "    "), "  }");
  });
  fwd.push("  theta[row] = v;");

  // backward: coefficient `row` -> block, copy u, basis row k.
  const bwd = ["  var g = 0.0;"];
  const bwdOpen = rangeBranches(nonEmpty.map((b) => ({ lo: b.coefOffset, hi: b.coefOffset + mul * b.rank })), lay.coefficients);
  nonEmpty.forEach((b, n) => {
    bwd.push(
      bwdOpen[n]!,
      `    let local = ${minus(b.coefOffset)};`,
      `    let t = ${u32(b.thetaOffset)} + (local / ${u32(b.rank)}) * ${u32(b.d)};`,
    );
    if (b.rank > 1) bwd.push(`    let k = local % ${u32(b.rank)};`);
    const exprs = b.basis.map((row) => dotExpr(row.map((x, i): [number, string] => [x, `grad_theta[t + ${u32(i)}]`])));
    bwd.push(...switchLines("k", "g", exprs, "    "), "  }");
  });
  bwd.push(`  grad_params[${u32(coefficientOffset)} + row] += g;`);

  const tag = `theta_${lay.dim}_${lay.coefficients}`;
  return {
    forward: describedRowKernel(`${tag}_forward`, { count: lay.dim }, [readF32("model_params"), writeF32("theta")], fwd),
    backward: describedRowKernel(`${tag}_backward`, { count: lay.coefficients }, [readF32("grad_theta"), writeF32("grad_params")], bwd),
    thetaDim: lay.dim,
    coefficients: lay.coefficients,
  };
}

export interface ThetaRegularizationKernels {
  /**
   * rows = { count: thetaDim }:
   *   - `theta` (read, f32, thetaDim)
   *   - `grad_theta` (read_write, f32, thetaDim): ADDS the regulariser's gradient (`+=`; run it before the
   *     θ backward)
   */
  grad: RowKernel;
  /**
   * rows = { count: 1 } (one invocation, a fixed-order sum):
   *   - `theta` (read, f32, thetaDim)
   *   - `reg` (read_write, f32, ≥ slot + 1): writes the regulariser's value into reg[slot] (`=`)
   */
  value: RowKernel;
}

/**
 * The IR's `train.regularize` terms on one layer's θ, as compiler/reference/regularization.ts:
 *   l2(λ):          λ · mean over θ's non-0e entries of θ² (count = mul · Σ_{non-0e blocks} (2l+1));
 *   group_lasso(λ): λ · Σ over non-0e blocks and copies of ||θ_{block,u}||, subgradient 0 where it is 0.
 * Returns null when nothing is penalised (no terms, or θ has only the 0e block).
 * @param slot the entry of `reg` the value kernel writes (one per relaxed layer; the executor sums them).
 */
export function thetaRegularizationKernel(
  blocks: readonly ThetaBlockIR[],
  mul: number,
  regularize: TrainIR["regularize"],
  slot = 0,
): ThetaRegularizationKernels | null {
  u32(slot);
  const lay = blockLayout(blocks, mul);
  const penalised = lay.blocks.filter((b) => !b.scalar);
  const count = penalised.reduce((s, b) => s + mul * b.d, 0);
  if (count === 0) return null;
  const l2 = regularize.filter((r) => r.kind === "l2").reduce((s, r) => s + r.weight, 0);
  const lasso = regularize.filter((r) => r.kind === "group_lasso").reduce((s, r) => s + r.weight, 0);
  const hasL2 = regularize.some((r) => r.kind === "l2"), hasLasso = regularize.some((r) => r.kind === "group_lasso");
  if (!hasL2 && !hasLasso) return null;

  const norm = (b: BlockLayout, base: string) => Array.from({ length: b.d }, (_, i) => `theta[${base} + ${u32(i)}] * theta[${base} + ${u32(i)}]`).join(" + ");

  const grad = ["  var g = 0.0;"];
  const gradOpen = rangeBranches(penalised.map((b) => ({ lo: b.thetaOffset, hi: b.thetaOffset + mul * b.d })), lay.dim);
  penalised.forEach((b, n) => {
    grad.push(gradOpen[n]!, "    let x = theta[row];");
    if (hasL2) grad.push(`    g += ${f32((2 * l2) / count)} * x;`);
    if (hasLasso) {
      grad.push(
        `    let t = ${u32(b.thetaOffset)} + ((${minus(b.thetaOffset)}) / ${u32(b.d)}) * ${u32(b.d)};`,
        `    let n = sqrt(${norm(b, "t")});`,
        `    if (n > 0.0) { g += ${f32(lasso)} * x / n; }`,
      );
    }
    grad.push("  }");
  });
  grad.push("  grad_theta[row] += g;");

  const value = ["  var sq = 0.0;", "  var norms = 0.0;"];
  for (const b of penalised) {
    value.push(
      `  for (var u = 0u; u < ${u32(mul)}; u++) {`,
      `    let t = ${u32(b.thetaOffset)} + u * ${u32(b.d)};`,
      `    let s = ${norm(b, "t")};`,
      "    sq += s;",
      "    norms += sqrt(s);",
      "  }",
    );
  }
  const terms = [...(hasL2 ? [`${f32(l2 / count)} * sq`] : []), ...(hasLasso ? [`${f32(lasso)} * norms`] : [])];
  value.push(`  reg[${u32(slot)}] = ${terms.join(" + ")};`);

  const tag = `theta_reg_${lay.dim}`;
  return {
    grad: describedRowKernel(`${tag}_grad`, { count: lay.dim }, [readF32("theta"), writeF32("grad_theta")], grad),
    value: describedRowKernel(`${tag}_value`, { count: 1 }, [readF32("theta"), writeF32("reg")], value),
  };
}

/**
 * Group lasso as a proximal step, run after the optimiser's step in the update pass (the backward pass leaves
 * group lasso out; compiler/reference/regularization.ts says why): each non-0e copy θ_{block,u} is scaled by
 * max(0, 1 − lr·λ/||θ_{block,u}||), so a copy shorter than lr·λ becomes exactly 0. It works on the coefficients:
 * with orthonormal basis rows ||θ_{block,u}|| = ||c_{block,u}||, which is checked here.
 *
 * rows: `{ count: groups }`, one invocation per (block, copy). Bindings `hyper` (read; [0] is the learning rate
 * of this step, for SGD and Adam alike) and `model_params` (read_write, the flat parameters).
 * Returns null when θ has nothing to penalise or λ is 0.
 */
export function thetaProximalKernel(blocks: readonly ThetaBlockIR[], mul: number, coefficientOffset: number, lambda: number): RowKernel | null {
  const lay = blockLayout(blocks, mul);
  const penalised = lay.blocks.filter((b) => !b.scalar && b.rank > 0);
  if (penalised.length === 0 || lambda === 0) return null;
  for (const b of penalised) {
    for (let j = 0; j < b.rank; j++)
      for (let k = 0; k < b.rank; k++) {
        const dot = b.basis[j]!.reduce((s, v, i) => s + v * b.basis[k]![i]!, 0);
        if (Math.abs(dot - (j === k ? 1 : 0)) > 1e-9) throw new Error(`theta proximal kernel: the basis of block l=${b.l} is not orthonormal`);
      }
  }
  const body = ["  let shrink = hyper[0] * " + f32(lambda) + ";"];
  const groups = penalised.length * mul;
  const open = rangeBranches(penalised.map((_, n) => ({ lo: n * mul, hi: (n + 1) * mul })), groups);
  let group = 0;
  penalised.forEach((b, n) => {
    const squares = Array.from({ length: b.rank }, (_, k) => `model_params[base + ${u32(k)}] * model_params[base + ${u32(k)}]`).join(" + ");
    body.push(
      open[n]!,
      `    let base = ${u32(coefficientOffset + b.coefOffset)} + (${minus(group)}) * ${u32(b.rank)};`,
      `    let norm = sqrt(${squares});`,
      "    let scale = select(0.0, max(0.0, 1.0 - shrink / norm), norm > 0.0);",
      `    for (var k = 0u; k < ${u32(b.rank)}; k++) { model_params[base + k] = model_params[base + k] * scale; }`,
      "  }",
    );
    group += mul;
  });
  return describedRowKernel(`theta_prox_${lay.dim}`, { count: group }, [readF32("hyper"), writeF32("model_params")], body);
}

/**
 * The θ blocks of a relaxed layer whose θ irreps are `thetaIrreps` (they may differ from the model-wide θ
 * when the layer overrides lmax / mul), as lowering wrote them into the layer's IR (`thetaLayout`); layers
 * with the same θ irreps have the same blocks (a basis depends only on the irrep and the kept group).
 * Returns the blocks (in the irreps' order) and the multiplicity; throws if the irreps' multiplicities differ.
 */
export function layerThetaBlocks(ir: ModelIR, thetaIrreps: string): { blocks: ThetaBlockIR[]; mul: number } {
  if (!ir.symmetry.theta) throw new Error("layerThetaBlocks: the model is not relaxed (the IR has no θ)");
  const irreps = Irreps.parse(thetaIrreps);
  const muls = new Set(irreps.entries.map((e) => e.mul));
  if (muls.size !== 1) throw new Error(`layerThetaBlocks: θ irreps ${thetaIrreps} mix multiplicities`);
  const layer = ir.layers.find((l): l is Extract<LayerIR, { theta: string }> => "theta" in l && Irreps.parse(l.thetaIrreps).equals(irreps));
  if (!layer) throw new Error(`layerThetaBlocks: no relaxed layer has θ irreps ${thetaIrreps}`);
  const blocks = layer.thetaLayout.blocks.map((b): ThetaBlockIR => ({ irrep: b.irrep, mul: b.mul, basis: b.basis }));
  return { blocks, mul: [...muls][0]! };
}

/**
 * θ = B c with B read from a buffer instead of baked into the code, so one compiled model serves every kept
 * group (`regnnc discover` swaps the basis between candidates without recompiling). The coefficients have the
 * fully relaxed layout (every block full rank: `blocks` must be a C1 model's); the table `theta_basis` holds,
 * block by block, a (2l+1) x (2l+1) row-major matrix whose first `rank` rows are the kept group's basis and
 * whose other rows are 0 ({@link thetaBasisTable}). A coefficient on a zero row gets a zero gradient, so from
 * the theta_scalar initialisation it stays exactly 0 under SGD, momentum and Adam, and the proximal group
 * lasso sees the same norms: training matches the model compiled for that group, coefficient for coefficient.
 * Bindings: forward `model_params`, `theta_basis`, `theta`; backward `theta_basis`, `grad_theta`, `grad_params`.
 */
export function thetaTableKernels(blocks: readonly ThetaBlockIR[], mul: number, coefficientOffset: number): ThetaKernels & { tableSize: number } {
  u32(coefficientOffset);
  const lay = blockLayout(blocks, mul);
  let tableOffset = 0;
  const fwd = ["  var v = 0.0;"], bwd = ["  var g = 0.0;"];
  const open = rangeBranches(lay.blocks.map((b) => ({ lo: b.thetaOffset, hi: b.thetaOffset + mul * b.d })), lay.dim);
  lay.blocks.forEach((b, n) => {
    if (b.rank !== b.d) throw new Error(`theta table kernels: block l=${b.l} has rank ${b.rank} of ${b.d}; the table form needs the fully relaxed (C1) layout`);
    const start = u32(b.thetaOffset), d = u32(b.d), table = u32(tableOffset);
    fwd.push(
      open[n]!,
      `    let local = ${minus(b.thetaOffset)};`,
      `    let c = ${u32(coefficientOffset + b.coefOffset)} + (local / ${d}) * ${d};`,
      `    let i = local % ${d};`,
      `    for (var k = 0u; k < ${d}; k++) { v += theta_basis[${table} + k * ${d} + i] * model_params[c + k]; }`,
      "  }",
    );
    bwd.push(
      open[n]!,
      `    let local = ${minus(b.thetaOffset)};`,
      `    let t = ${start} + (local / ${d}) * ${d};`,
      `    let k = local % ${d};`,
      `    for (var i = 0u; i < ${d}; i++) { g += theta_basis[${table} + k * ${d} + i] * grad_theta[t + i]; }`,
      "  }",
    );
    tableOffset += b.d * b.d;
  });
  fwd.push("  theta[row] = v;");
  bwd.push(`  grad_params[${u32(coefficientOffset)} + row] += g;`);
  const tag = `theta_table_${lay.dim}`;
  return {
    forward: describedRowKernel(`${tag}_forward`, { count: lay.dim }, [readF32("model_params"), readF32("theta_basis"), writeF32("theta")], fwd),
    backward: describedRowKernel(`${tag}_backward`, { count: lay.coefficients }, [readF32("theta_basis"), readF32("grad_theta"), writeF32("grad_params")], bwd),
    thetaDim: lay.dim,
    coefficients: lay.coefficients,
    tableSize: tableOffset,
  };
}

/**
 * The `theta_basis` table of {@link thetaTableKernels} for θ irreps `thetaIrreps` kept to `group`: per irrep a
 * (2l+1)² block, the group's invariant basis rows first, zero rows after. The 0e row is the fully relaxed
 * model's own (`scalarRow`, ±1), so the theta_scalar initialisation still starts θ at the pure scalar 1.
 */
export function thetaBasisTable(group: ReturnType<typeof pointGroup>, thetaIrreps: string, scalarRow = 1): number[] {
  const table: number[] = [];
  for (const e of Irreps.parse(thetaIrreps).entries) {
    const d = e.ir.dim;
    const flat = Array.from(invariantBasis(group, e.l, e.p));
    const basis = e.l === 0 && e.p === 1 ? [scalarRow] : Array.from({ length: flat.length / d }, (_, k) => cleanBasisRow(flat.slice(k * d, (k + 1) * d))).flat();
    if (basis.length % d !== 0 || basis.length > d * d) throw new Error(`theta basis table: the basis of ${e.ir.toString()} has ${basis.length} entries`);
    table.push(...basis, ...new Array<number>(d * d - basis.length).fill(0));
  }
  return table;
}
