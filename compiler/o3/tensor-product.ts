/**
 * e3nn's `TensorProduct` in float64: the reference every GPU kernel and every exchanged weight is judged by.
 * Paths, normalisation (`path_weight`), connection modes and the flat weight layout are e3nn's
 * (e3nn-conventions.md §6).
 */
import { Irreps, type IrrepsLike } from "./irreps.js";
import { wigner3jSparse, type SparseW3j } from "./wigner3j.js";

export type ConnectionMode = "uvw" | "uvu" | "uvv" | "uuw" | "uuu";
export type IrrepNormalization = "component" | "norm" | "none";
export type PathNormalization = "element" | "path" | "none";

/** `[i1, i2, iOut, mode, hasWeight, pathWeight?]`, as e3nn's instruction tuples. */
export type InstructionSpec = readonly [number, number, number, ConnectionMode, boolean, number?];

export interface TensorProductOptions {
  irrepNormalization?: IrrepNormalization;
  pathNormalization?: PathNormalization;
  /** One weight vector for the whole batch (true, default) or one row per batch entry. */
  sharedWeights?: boolean;
}

export interface Instruction {
  readonly i1: number;
  readonly i2: number;
  readonly iOut: number;
  readonly mode: ConnectionMode;
  readonly hasWeight: boolean;
  /** The final coefficient of the path, sqrt(alpha), as e3nn stores it back into its instructions. */
  readonly pathWeight: number;
  /** Shape of this path's weight block: (mul1, mul2, mulOut) for uvw, (mul1, mul2) for uvu / uvv, ... */
  readonly pathShape: readonly number[];
  /** Offset of the block in the flat weight vector (-1 when the path has no weight). */
  readonly weightOffset: number;
}

const MODES: readonly ConnectionMode[] = ["uvw", "uvu", "uvv", "uuw", "uuu"];

/** One term out[w] += W[weight] * T[u, v] of a path, where T[u, v, k] = sum_ij C_ijk x1[u, i] x2[v, j]. */
interface Terms {
  u: Int32Array;
  v: Int32Array;
  w: Int32Array;
  weight: Int32Array; // index into the path's block, or -1 for an unweighted path
}

interface Plan {
  ins: Instruction;
  cg: SparseW3j;
  mul1: number; mul2: number; mulOut: number;
  d1: number; d2: number; dOut: number;
  off1: number; off2: number; offOut: number;
  /** Built on first use: mul1·mul2·mulOut entries for uvw, which the compiler (that only reads the layout) never needs. */
  terms?: Terms;
}

function termsOfPlan(p: Plan): Terms {
  return (p.terms ??= termsOf(p.ins.mode, p.ins.hasWeight, p.mul1, p.mul2, p.mulOut));
}

export class TensorProduct {
  readonly irrepsIn1: Irreps;
  readonly irrepsIn2: Irreps;
  readonly irrepsOut: Irreps;
  readonly instructions: readonly Instruction[];
  readonly weightNumel: number;
  readonly sharedWeights: boolean;
  readonly irrepNormalization: IrrepNormalization;
  readonly pathNormalization: PathNormalization;
  private readonly plans: Plan[];

  constructor(
    irrepsIn1: IrrepsLike,
    irrepsIn2: IrrepsLike,
    irrepsOut: IrrepsLike,
    instructions: readonly InstructionSpec[],
    options: TensorProductOptions = {},
  ) {
    this.irrepsIn1 = Irreps.parse(irrepsIn1);
    this.irrepsIn2 = Irreps.parse(irrepsIn2);
    this.irrepsOut = Irreps.parse(irrepsOut);
    this.irrepNormalization = options.irrepNormalization ?? "component";
    this.pathNormalization = options.pathNormalization ?? "element";
    this.sharedWeights = options.sharedWeights ?? true;
    if (!["component", "norm", "none"].includes(this.irrepNormalization))
      throw new Error(`TensorProduct: unknown irrepNormalization '${this.irrepNormalization}' (component, norm or none)`);
    if (!["element", "path", "none"].includes(this.pathNormalization))
      throw new Error(`TensorProduct: unknown pathNormalization '${this.pathNormalization}' (element, path or none)`);

    instructions.forEach((spec, k) => this.validate(spec, k));
    const fanIn = instructions.map((s) => this.fanIn(s));
    let offset = 0;
    const built = instructions.map((spec, k): Instruction => {
      const [i1, i2, iOut, mode, hasWeight, userWeight = 1] = spec;
      const a = this.irrepsIn1.get(i1), b = this.irrepsIn2.get(i2), o = this.irrepsOut.get(iOut);
      let alpha = this.irrepNormalization === "component" ? o.ir.dim : this.irrepNormalization === "norm" ? a.ir.dim * b.ir.dim : 1;
      const siblings = instructions.map((s, j) => j).filter((j) => instructions[j]![2] === iOut);
      let x = 1;
      if (this.pathNormalization === "element") x = siblings.reduce((s, j) => s + fanIn[j]!, 0);
      else if (this.pathNormalization === "path") x = fanIn[k]! * siblings.length;
      if (x > 0) alpha /= x;
      alpha *= userWeight;
      const pathShape = shapeOf(mode, a.mul, b.mul, o.mul);
      const weightOffset = hasWeight ? offset : -1;
      if (hasWeight) offset += pathShape.reduce((s, n) => s * n, 1);
      return { i1, i2, iOut, mode, hasWeight, pathWeight: Math.sqrt(alpha), pathShape, weightOffset };
    });
    this.instructions = Object.freeze(built);
    this.weightNumel = offset;
    const o1 = this.irrepsIn1.offsets, o2 = this.irrepsIn2.offsets, oo = this.irrepsOut.offsets;
    this.plans = built.map((ins) => {
      const a = this.irrepsIn1.get(ins.i1), b = this.irrepsIn2.get(ins.i2), o = this.irrepsOut.get(ins.iOut);
      return {
        ins,
        cg: wigner3jSparse(a.l, b.l, o.l),
        mul1: a.mul, mul2: b.mul, mulOut: o.mul,
        d1: a.ir.dim, d2: b.ir.dim, dOut: o.ir.dim,
        off1: o1[ins.i1]!, off2: o2[ins.i2]!, offOut: oo[ins.iOut]!,
      };
    });
  }

  private validate(spec: InstructionSpec, k: number): void {
    const where = `TensorProduct instruction ${k} [${spec.slice(0, 5).join(", ")}]`;
    const [i1, i2, iOut, mode, hasWeight] = spec;
    if (!MODES.includes(mode)) throw new Error(`${where}: unknown connection mode '${mode}' (${MODES.join(", ")})`);
    for (const [i, irreps, name] of [[i1, this.irrepsIn1, "i1"], [i2, this.irrepsIn2, "i2"], [iOut, this.irrepsOut, "iOut"]] as const)
      if (!Number.isInteger(i) || i < 0 || i >= irreps.length)
        throw new Error(`${where}: ${name} = ${i} is out of range for '${irreps.toString()}'`);
    const a = this.irrepsIn1.get(i1), b = this.irrepsIn2.get(i2), o = this.irrepsOut.get(iOut);
    if (!a.ir.couplesTo(b.ir, o.ir))
      throw new Error(`${where}: ${o.ir.toString()} is not in ${a.ir.toString()} x ${b.ir.toString()} (parity or triangle rule)`);
    const need = (ok: boolean, what: string) => {
      if (!ok) throw new Error(`${where}: mode ${mode} needs ${what} (got ${a.mul}, ${b.mul} -> ${o.mul})`);
    };
    if (mode === "uvu") need(o.mul === a.mul, "mulOut == mul1");
    if (mode === "uvv") need(o.mul === b.mul, "mulOut == mul2");
    if (mode === "uuw") need(a.mul === b.mul, "mul1 == mul2");
    if (mode === "uuu") need(a.mul === b.mul && b.mul === o.mul, "mul1 == mul2 == mulOut");
    if ((mode === "uvw" || mode === "uuw") && !hasWeight) throw new Error(`${where}: mode ${mode} needs weights (hasWeight true)`);
  }

  private fanIn(spec: InstructionSpec): number {
    const [i1, i2, , mode] = spec;
    const m1 = this.irrepsIn1.get(i1).mul, m2 = this.irrepsIn2.get(i2).mul;
    return { uvw: m1 * m2, uvu: m2, uvv: m1, uuw: m1, uuu: 1 }[mode];
  }

  private checkShapes(x1: ArrayLike<number>, x2: ArrayLike<number>, weight: ArrayLike<number>, batch: number): void {
    if (!Number.isInteger(batch) || batch < 0) throw new Error(`TensorProduct: batch must be a non-negative integer, got ${batch}`);
    const check = (got: number, want: number, name: string) => {
      if (got !== want) throw new Error(`TensorProduct: ${name} has ${got} numbers, expected ${want}`);
    };
    check(x1.length, batch * this.irrepsIn1.dim, `x1 (batch ${batch} x '${this.irrepsIn1.toString()}')`);
    check(x2.length, batch * this.irrepsIn2.dim, `x2 (batch ${batch} x '${this.irrepsIn2.toString()}')`);
    check(weight.length, this.sharedWeights ? this.weightNumel : batch * this.weightNumel, "weight");
  }

  /** out[z] for z < batch: x1 (batch, dim1), x2 (batch, dim2), weight (weightNumel) or (batch, weightNumel). */
  forward(x1: ArrayLike<number>, x2: ArrayLike<number>, weight: ArrayLike<number>, batch: number): Float64Array {
    this.checkShapes(x1, x2, weight, batch);
    const [n1, n2, nOut] = [this.irrepsIn1.dim, this.irrepsIn2.dim, this.irrepsOut.dim];
    const out = new Float64Array(batch * nOut);
    for (const p of this.plans) {
      const t = new Float64Array(p.mul1 * p.mul2 * p.dOut);
      for (let z = 0; z < batch; z++) {
        coupled(p, x1, z * n1, x2, z * n2, t);
        const wBase = (this.sharedWeights ? 0 : z * this.weightNumel) + p.ins.weightOffset;
        const { u, v, w, weight: wi } = termsOfPlan(p);
        for (let s = 0; s < u.length; s++) {
          const c = p.ins.pathWeight * (wi[s]! < 0 ? 1 : weight[wBase + wi[s]!]!);
          const src = (u[s]! * p.mul2 + v[s]!) * p.dOut;
          const dst = z * nOut + p.offOut + w[s]! * p.dOut;
          for (let k = 0; k < p.dOut; k++) out[dst + k] += c * t[src + k]!;
        }
      }
    }
    return out;
  }

  /**
   * Gradients of sum(out * gradOut) with respect to x1, x2 and the weights; the weight gradient is summed over
   * the batch when the weights are shared, and per row otherwise.
   */
  backward(
    x1: ArrayLike<number>,
    x2: ArrayLike<number>,
    weight: ArrayLike<number>,
    gradOut: ArrayLike<number>,
    batch: number,
  ): { x1: Float64Array; x2: Float64Array; weight: Float64Array } {
    this.checkShapes(x1, x2, weight, batch);
    const [n1, n2, nOut] = [this.irrepsIn1.dim, this.irrepsIn2.dim, this.irrepsOut.dim];
    if (gradOut.length !== batch * nOut) throw new Error(`TensorProduct: gradOut has ${gradOut.length} numbers, expected ${batch * nOut}`);
    const g1 = new Float64Array(batch * n1), g2 = new Float64Array(batch * n2);
    const gw = new Float64Array(weight.length);
    for (const p of this.plans) {
      const t = new Float64Array(p.mul1 * p.mul2 * p.dOut);
      const gt = new Float64Array(t.length);
      for (let z = 0; z < batch; z++) {
        coupled(p, x1, z * n1, x2, z * n2, t);
        gt.fill(0);
        const wBase = (this.sharedWeights ? 0 : z * this.weightNumel) + p.ins.weightOffset;
        const { u, v, w, weight: wi } = termsOfPlan(p);
        for (let s = 0; s < u.length; s++) {
          const src = (u[s]! * p.mul2 + v[s]!) * p.dOut;
          const go = z * nOut + p.offOut + w[s]! * p.dOut;
          const c = p.ins.pathWeight * (wi[s]! < 0 ? 1 : weight[wBase + wi[s]!]!);
          let dot = 0;
          for (let k = 0; k < p.dOut; k++) {
            gt[src + k] += c * gradOut[go + k]!;
            dot += gradOut[go + k]! * t[src + k]!;
          }
          if (wi[s]! >= 0) gw[wBase + wi[s]!] += p.ins.pathWeight * dot;
        }
        coupledBackward(p, x1, z * n1, x2, z * n2, gt, g1, g2);
      }
    }
    return { x1: g1, x2: g2, weight: gw };
  }
}

function shapeOf(mode: ConnectionMode, m1: number, m2: number, mo: number): number[] {
  return { uvw: [m1, m2, mo], uvu: [m1, m2], uvv: [m1, m2], uuw: [m1, mo], uuu: [m1] }[mode];
}

function termsOf(mode: ConnectionMode, hasWeight: boolean, m1: number, m2: number, mo: number): Terms {
  const u: number[] = [], v: number[] = [], w: number[] = [], weight: number[] = [];
  const add = (a: number, b: number, c: number, idx: number) => {
    u.push(a); v.push(b); w.push(c); weight.push(hasWeight ? idx : -1);
  };
  for (let a = 0; a < m1; a++) {
    if (mode === "uvw") for (let b = 0; b < m2; b++) for (let c = 0; c < mo; c++) add(a, b, c, (a * m2 + b) * mo + c);
    if (mode === "uvu") for (let b = 0; b < m2; b++) add(a, b, a, a * m2 + b);
    if (mode === "uvv") for (let b = 0; b < m2; b++) add(a, b, b, a * m2 + b);
    if (mode === "uuw") for (let c = 0; c < mo; c++) add(a, a, c, a * mo + c);
    if (mode === "uuu") add(a, a, a, a);
  }
  return { u: Int32Array.from(u), v: Int32Array.from(v), w: Int32Array.from(w), weight: Int32Array.from(weight) };
}

/** t[u, v, k] = sum_ij C_ijk x1[u, i] x2[v, j] for one batch row. */
function coupled(p: Plan, x1: ArrayLike<number>, b1: number, x2: ArrayLike<number>, b2: number, t: Float64Array): void {
  t.fill(0);
  const { i, j, k, value } = p.cg;
  for (let a = 0; a < p.mul1; a++) {
    const xa = b1 + p.off1 + a * p.d1;
    for (let b = 0; b < p.mul2; b++) {
      const xb = b2 + p.off2 + b * p.d2;
      const base = (a * p.mul2 + b) * p.dOut;
      for (let s = 0; s < value.length; s++) t[base + k[s]!] += value[s]! * x1[xa + i[s]!]! * x2[xb + j[s]!]!;
    }
  }
}

function coupledBackward(
  p: Plan, x1: ArrayLike<number>, b1: number, x2: ArrayLike<number>, b2: number,
  gt: Float64Array, g1: Float64Array, g2: Float64Array,
): void {
  const { i, j, k, value } = p.cg;
  for (let a = 0; a < p.mul1; a++) {
    const xa = b1 + p.off1 + a * p.d1;
    for (let b = 0; b < p.mul2; b++) {
      const xb = b2 + p.off2 + b * p.d2;
      const base = (a * p.mul2 + b) * p.dOut;
      for (let s = 0; s < value.length; s++) {
        const g = value[s]! * gt[base + k[s]!]!;
        if (g === 0) continue;
        g1[xa + i[s]!] += g * x2[xb + j[s]!]!;
        g2[xb + j[s]!] += g * x1[xa + i[s]!]!;
      }
    }
  }
}
