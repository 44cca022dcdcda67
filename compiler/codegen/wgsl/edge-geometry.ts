/**
 * WGSL for the edge geometry: edge attributes (spherical harmonics, radial basis) computed from the edge
 * vector v = pos[dst] - pos[src], their backward down to the edge vector, and the scatter of the edge-vector
 * gradient onto the positions. All f32, one invocation per row, constants baked, small loops unrolled.
 *
 * Conventions: common.ts. Besides them:
 * - Edge vectors: by default from `pos` (nodes x 3) and the edge endpoints `src`, `dst` (u32, edges); with
 *   `{ source: "vectors" }` from a `vec` buffer (edges x 3) instead (models without a positions input).
 * - The length r = |v| is computed without underflow or overflow of the squares (v is divided by its largest
 *   component first); r = 0 exactly when v = 0.
 */
import type { EdgeAttrIR } from "../../ir/types.js";
import { wigner3jSparse } from "../../o3/wigner3j.js";
import { type Binding, describedRowKernel, f32, type ForwardBackward, readF32, readU32, type RowKernel, u32, writeF32 } from "./common.js";

/** Where the edge vectors come from. */
export interface EdgeVectorOptions {
  /** "positions" (default): v = pos[dst] - pos[src]; "vectors": v = vec[e]. */
  source?: "positions" | "vectors";
  /**
   * With positions: add each edge's lattice shift, v = pos[dst] - pos[src] + shift[e] (binding `shift`, f32,
   * edges x 3, after `dst`), for graphs that may connect periodic images (runtime/graph/periodic.ts).
   */
  shift?: boolean;
}

export type SphericalHarmonicsIR = Extract<EdgeAttrIR, { op: "spherical_harmonics" }>;
export type RadialBasisIR = Extract<EdgeAttrIR, { op: "radial_basis" }>;

/** Edge kernel bindings: the vector source's f32 inputs, then `middle` (the other f32 bindings), then indices. */
function edgeBindings(o: EdgeVectorOptions, middle: Binding[]): Binding[] {
  if ((o.source ?? "positions") !== "positions") return [readF32("vec"), ...middle];
  return [readF32("pos"), ...middle, readU32("src"), readU32("dst"), ...(o.shift ? [readF32("shift")] : [])];
}

/**
 * WGSL lines defining, for edge `row`: `v` (the edge vector), `r` (its length) and `u` (v / r, or 0 when v = 0).
 */
export function edgeVectorLines(o: EdgeVectorOptions): string[] {
  const lines =
    (o.source ?? "positions") === "positions"
      ? [
          "  let ps = src[row] * 3u;",
          "  let pd = dst[row] * 3u;",
          "  let v = vec3f(pos[pd] - pos[ps], pos[pd + 1u] - pos[ps + 1u], pos[pd + 2u] - pos[ps + 2u])" +
            (o.shift ? " + vec3f(shift[row * 3u], shift[row * 3u + 1u], shift[row * 3u + 2u]);" : ";"),
        ]
      : ["  let v = vec3f(vec[row * 3u], vec[row * 3u + 1u], vec[row * 3u + 2u]);"];
  return [
    ...lines,
    "  // |v| without underflow/overflow of the squares: scale by the largest component first.",
    "  let m = max(max(abs(v.x), abs(v.y)), abs(v.z));",
    "  let nonzero = m > 0.0;",
    "  let w = v * select(0.0, 1.0 / m, nonzero);",
    "  let lw = length(w);",
    "  let r = m * lw;",
    "  let u = select(vec3f(0.0), w / lw, nonzero);",
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Spherical harmonics

/** Per-degree normalisation factor: component 1, norm 1/sqrt(2l+1), integral 1/sqrt(4π). */
function shScale(normalization: SphericalHarmonicsIR["normalization"], l: number): number {
  return normalization === "component" ? 1 : normalization === "norm" ? 1 / Math.sqrt(2 * l + 1) : 1 / Math.sqrt(4 * Math.PI);
}

/** The recurrence's terms for degree l -> l+1: p[(l+1)² + k] += c · p[l² + i] · x_j, c = (2l+3)/sqrt(l+1) C_ijk. */
function shTerms(l: number): { i: number; j: number; k: number; c: number }[] {
  const cg = wigner3jSparse(l, 1, l + 1);
  const f = (2 * l + 3) / Math.sqrt(l + 1);
  return Array.from(cg.value, (val, t) => ({ i: cg.i[t]! + l * l, j: cg.j[t]!, k: cg.k[t]! + (l + 1) * (l + 1), c: f * val }));
}

/** `let p{q} = ...;` for every q < (lmax+1)², from x0, x1, x2 (the unit vector, or v itself). */
function shPolynomialLines(lmax: number): string[] {
  const lines = ["  let p0 = 1.0;"];
  for (let l = 0; l < lmax; l++) {
    const terms = shTerms(l);
    for (let k = (l + 1) * (l + 1); k < (l + 2) * (l + 2); k++) {
      const parts = terms.filter((t) => t.k === k).map((t) => (t.i === 0 ? `${f32(t.c)} * x${t.j}` : `${f32(t.c)} * p${t.i} * x${t.j}`));
      lines.push(`  let p${k} = ${parts.length ? parts.join(" + ") : "0.0"};`);
    }
  }
  return lines;
}

function shInputLines(attr: SphericalHarmonicsIR, o: EdgeVectorOptions): string[] {
  return [
    ...edgeVectorLines(o),
    attr.normalize ? "  let x = u;" : "  let x = v;",
    "  let x0 = x.x;",
    "  let x1 = x.y;",
    "  let x2 = x.z;",
  ];
}

function checkSh(attr: SphericalHarmonicsIR): void {
  if (attr.op !== "spherical_harmonics") throw new Error(`sphericalHarmonicsKernels: '${attr.name}' is a ${(attr as EdgeAttrIR).op}`);
  if (!Number.isInteger(attr.lmax) || attr.lmax < 0) throw new Error(`sphericalHarmonicsKernels: lmax ${attr.lmax} must be a non-negative integer`);
}

/**
 * e3nn's spherical harmonics of the edge vectors, as compiler/reference/spherical-harmonics.ts: P^0 = 1,
 * P^{l+1}_k = (2l+3)/sqrt(l+1) Σ_ij C(l,1,l+1)_ijk P^l_i x_j with x = v/|v| (`normalize`, and x = 0 for
 * v = 0, so l >= 1 vanish) or x = v; then degree l is scaled by the IR's normalisation. Straight-line code.
 *
 * forward, rows = edges:
 *   - `pos` (read, f32, nodes x 3) | `vec` (read, f32, edges x 3) with `source: "vectors"`
 *   - `y` (read_write, f32, edges x (lmax+1)²): writes Y(v_e) (`=`)
 *   - `src`, `dst` (read, u32, edges): only with positions
 * backward, rows = edges:
 *   - `pos` | `vec` as above
 *   - `grad_y` (read, f32, edges x (lmax+1)²)
 *   - `grad_vec` (read_write, f32, edges x 3): ADDS d(Σ_q grad_y[e,q] y[e,q]) / d v_e (`+=`)
 *   - `src`, `dst` (u32) as above
 * The backward is reverse mode through the recurrence (adjoints a_q of P_q, from the top degree down:
 * a^l_i = s_l g^l_i + Σ c a^{l+1}_k x_j and g_x_j = Σ c a^{l+1}_k P^l_i), then through the normalisation:
 * d/dv = (g_x - (g_x · u) u) / |v|, and 0 for v = 0 (the reference's convention). Without `normalize`, d/dv = g_x.
 */
export function sphericalHarmonicsKernels(attr: SphericalHarmonicsIR, options: EdgeVectorOptions = {}): ForwardBackward {
  checkSh(attr);
  const { lmax } = attr;
  const dim = (lmax + 1) * (lmax + 1);
  const head = [`  let base = row * ${u32(dim)};`, ...shInputLines(attr, options), ...shPolynomialLines(lmax)];

  const fwd = [...head];
  for (let l = 0; l <= lmax; l++) {
    const s = shScale(attr.normalization, l);
    for (let q = l * l; q < (l + 1) * (l + 1); q++) fwd.push(`  y[base + ${u32(q)}] = ${s === 1 ? `p${q}` : `${f32(s)} * p${q}`};`);
  }

  const bwd = [...head];
  // Adjoints of P for degrees lmax down to 1 (degree 0 is a constant).
  for (let l = lmax; l >= 1; l--) {
    const s = shScale(attr.normalization, l);
    const up = l < lmax ? shTerms(l) : [];
    for (let q = l * l; q < (l + 1) * (l + 1); q++) {
      const own = `${s === 1 ? "" : `${f32(s)} * `}grad_y[base + ${u32(q)}]`;
      const parts = up.filter((t) => t.i === q).map((t) => `${f32(t.c)} * a${t.k} * x${t.j}`);
      bwd.push(`  let a${q} = ${[own, ...parts].join(" + ")};`);
    }
  }
  for (let j = 0; j < 3; j++) {
    const parts: string[] = [];
    for (let l = 0; l < lmax; l++)
      for (const t of shTerms(l).filter((t) => t.j === j)) parts.push(t.i === 0 ? `${f32(t.c)} * a${t.k}` : `${f32(t.c)} * a${t.k} * p${t.i}`);
    bwd.push(`  let g${j} = ${parts.length ? parts.join(" + ") : "0.0"};`);
  }
  if (lmax === 0) bwd.push("  _ = grad_y[base]; // Y = 1: no gradient, but the binding stays in the layout");
  bwd.push("  let gx = vec3f(g0, g1, g2);");
  if (attr.normalize) bwd.push("  let gv = select(vec3f(0.0), (gx - dot(gx, u) * u) / r, nonzero);");
  else bwd.push("  let gv = gx;");
  for (let a = 0; a < 3; a++) bwd.push(`  grad_vec[row * 3u + ${u32(a)}] += gv[${a}];`);

  return {
    forward: describedRowKernel(`sh_l${lmax}_forward`, "edges", edgeBindings(options, [writeF32("y")]), fwd),
    backward: describedRowKernel(`sh_l${lmax}_backward`, "edges", edgeBindings(options, [readF32("grad_y"), writeF32("grad_vec")]), bwd),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Radial basis

/** 1.14136 · e², e3nn's smooth_finite constant, in float64 (as compiler/nn/radial-basis.ts). */
const SMOOTH_FINITE_CONSTANT = 1.14136 * Math.exp(2);

const SOFT_UNIT_STEP = [
  "// e3nn's soft_unit_step: exp(-1/x) for x > 0, else 0; and its derivative exp(-1/x) / x².",
  "fn su(x: f32) -> f32 {",
  "  if (x > 0.0) { return exp(-1.0 / x); }",
  "  return 0.0;",
  "}",
  "fn su_d(x: f32) -> f32 {",
  // exp(-1/x) > 0 only for x above ~0.01, where x² cannot underflow: where it is 0, so is the derivative.
  "  if (x > 0.0) {",
  "    let e = exp(-1.0 / x);",
  "    return select(0.0, e / (x * x), e > 0.0);",
  "  }",
  "  return 0.0;",
  "}",
];

/**
 * (sin t - t cos t) / t² for t >= 0, with its series below t = 0.3 (the direct form cancels there in f32).
 * The Bessel basis's derivative is a k² · (-this).
 */
const BESSEL_HELPER = [
  "fn sinc_d(t: f32) -> f32 {",
  "  if (t < 0.3) {",
  "    let t2 = t * t;",
  `    return t * (${f32(1 / 3)} - t2 * (${f32(1 / 30)} - t2 * ${f32(1 / 840)}));`,
  "  }",
  "  return (sin(t) - t * cos(t)) / (t * t);",
  "}",
];

function checkRadial(attr: RadialBasisIR): void {
  if (attr.op !== "radial_basis") throw new Error(`radialBasisKernels: '${attr.name}' is a ${(attr as EdgeAttrIR).op}`);
  if (!Number.isInteger(attr.count) || attr.count < 1) throw new Error(`radialBasisKernels: count ${attr.count} must be a positive integer`);
  if (!(attr.cutoff > attr.start)) throw new Error(`radialBasisKernels: cutoff ${attr.cutoff} must exceed start ${attr.start}`);
}

/**
 * Lines computing, for basis function i, `b{i}` (its value, times scale) and, with `deriv`, `db{i}` (d/dr).
 * Uses `r`; the per-basis prologue lines come first (returned separately so they are emitted once).
 */
function radialLines(attr: RadialBasisIR, deriv: boolean): { prologue: string[]; lines: string[]; helpers: string[] } {
  const { count: n, start, cutoff: end, scale } = attr;
  const step = (end - start) / (n + 1);
  const prologue: string[] = [], lines: string[] = [];
  let helpers: string[] = [];
  switch (attr.basis) {
    case "gaussian":
      // diff_i = (r - start)/step - (i + 1); value exp(-diff²)/1.12; no cutoff mask (as e3nn).
      prologue.push(`  let rs = (r - ${f32(start)}) * ${f32(1 / step)};`);
      for (let i = 0; i < n; i++) {
        lines.push(`  let d${i} = rs - ${f32(i + 1)};`);
        lines.push(`  let b${i} = ${f32(scale / 1.12)} * exp(-d${i} * d${i});`);
        if (deriv) lines.push(`  let db${i} = ${f32(-2 / step)} * d${i} * b${i};`);
      }
      break;
    case "cosine":
      prologue.push(`  let rs = (r - ${f32(start)}) * ${f32(1 / step)};`);
      for (let i = 0; i < n; i++) {
        lines.push(`  let d${i} = rs - ${f32(i + 1)};`);
        lines.push(`  let in${i} = d${i} > -1.0 && d${i} < 1.0;`);
        lines.push(`  let b${i} = select(0.0, ${f32(scale)} * cos(${f32(Math.PI / 2)} * d${i}), in${i});`);
        if (deriv) lines.push(`  let db${i} = select(0.0, ${f32((-scale * Math.PI) / 2 / step)} * sin(${f32(Math.PI / 2)} * d${i}), in${i});`);
      }
      break;
    case "smooth_finite":
      helpers = SOFT_UNIT_STEP;
      prologue.push(`  let rs = (r - ${f32(start)}) * ${f32(1 / step)};`);
      for (let i = 0; i < n; i++) {
        lines.push(`  let d${i} = rs - ${f32(i + 1)};`);
        lines.push(`  let sa${i} = su(d${i} + 1.0);`);
        lines.push(`  let sb${i} = su(1.0 - d${i});`);
        lines.push(`  let b${i} = ${f32(scale * SMOOTH_FINITE_CONSTANT)} * sa${i} * sb${i};`);
        if (deriv) lines.push(`  let db${i} = ${f32((scale * SMOOTH_FINITE_CONSTANT) / step)} * (su_d(d${i} + 1.0) * sb${i} - sa${i} * su_d(1.0 - d${i}));`);
      }
      break;
    case "fourier": {
      const norm = Math.sqrt(0.25 + n / 2);
      prologue.push(`  let xf = (r - ${f32(start)}) * ${f32(1 / (end - start))};`);
      prologue.push("  let inside = xf > 0.0 && xf < 1.0;");
      for (let i = 0; i < n; i++) {
        const k = Math.PI * (i + 1);
        lines.push(`  let b${i} = select(0.0, ${f32(scale / norm)} * sin(${f32(k)} * xf), inside);`);
        if (deriv) lines.push(`  let db${i} = select(0.0, ${f32((scale * k) / norm / (end - start))} * cos(${f32(k)} * xf), inside);`);
      }
      break;
    }
    case "bessel": {
      // x = r - start, c = end - start: sqrt(2/c) sin(k x)/x = sqrt(2/c) k sinc(k x), k = nπ/c, for 0 < x < c.
      const c = end - start;
      const a = Math.sqrt(2 / c);
      if (deriv) helpers = BESSEL_HELPER;
      prologue.push(`  let xb = r - ${f32(start)};`);
      prologue.push(`  let inside = xb > 0.0 && xb * ${f32(1 / c)} < 1.0;`);
      prologue.push("  let inv_xb = select(0.0, 1.0 / xb, inside);");
      for (let i = 0; i < n; i++) {
        const k = ((i + 1) * Math.PI) / c;
        lines.push(`  let t${i} = ${f32(k)} * xb;`);
        lines.push(`  let b${i} = select(0.0, ${f32(scale * a)} * sin(t${i}) * inv_xb, inside);`);
        if (deriv) lines.push(`  let db${i} = select(0.0, ${f32(-scale * a * k * k)} * sinc_d(t${i}), inside);`);
      }
      break;
    }
  }
  return { prologue, lines, helpers };
}

/**
 * e3nn's `soft_one_hot_linspace(|v|, start, cutoff, count, basis, cutoff=True)` times `scale`, as
 * compiler/nn/radial-basis.ts (same constants; basis functions unrolled).
 *
 * forward, rows = edges:
 *   - `pos` (read, f32, nodes x 3) | `vec` (read, f32, edges x 3) with `source: "vectors"`
 *   - `emb` (read_write, f32, edges x count): writes the basis values (`=`)
 *   - `src`, `dst` (read, u32, edges): only with positions
 * backward, rows = edges:
 *   - `pos` | `vec` as above
 *   - `grad_emb` (read, f32, edges x count)
 *   - `grad_vec` (read_write, f32, edges x 3): ADDS (Σ_i grad_emb[e,i] d emb_i/dr) v/|v| (`+=`); nothing for v = 0
 *   - `src`, `dst` (u32) as above
 */
export function radialBasisKernels(attr: RadialBasisIR, options: EdgeVectorOptions = {}): ForwardBackward {
  checkRadial(attr);
  const n = attr.count;
  const head = [`  let base = row * ${u32(n)};`, ...edgeVectorLines(options)];

  const f = radialLines(attr, false);
  const fwd = [...head, ...f.prologue, ...f.lines];
  for (let i = 0; i < n; i++) fwd.push(`  emb[base + ${u32(i)}] = b${i};`);

  const b = radialLines(attr, true);
  const bwd = [...head, ...b.prologue, ...b.lines];
  bwd.push(`  let gr = ${Array.from({ length: n }, (_, i) => `grad_emb[base + ${u32(i)}] * db${i}`).join(" + ")};`);
  bwd.push("  let gv = gr * u;");
  for (let a = 0; a < 3; a++) bwd.push(`  grad_vec[row * 3u + ${u32(a)}] += gv[${a}];`);

  return {
    forward: describedRowKernel(`radial_${attr.basis}_${n}_forward`, "edges", edgeBindings(options, [writeF32("emb")]), fwd, f.helpers),
    backward: describedRowKernel(`radial_${attr.basis}_${n}_backward`, "edges", edgeBindings(options, [readF32("grad_emb"), writeF32("grad_vec")]), bwd, b.helpers),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Edge vectors -> positions

/**
 * The positions gradient from the edge-vector gradient (v_e = pos[dst_e] - pos[src_e]), rows = nodes:
 *   grad_pos[n] += Σ_{e: dst_e = n} grad_vec[e] - Σ_{e: src_e = n} grad_vec[e]
 * summed in a fixed order (incoming edges in edge order, then outgoing ones in edge order), from the CSR
 * arrays of runtime/graph/batch.ts (edges sorted by destination).
 *   - `grad_vec` (read, f32, edges x 3)
 *   - `grad_pos` (read_write, f32, nodes x 3): ADDS (`+=`)
 *   - `dst_offsets` (read, u32, nodes + 1): incoming edges of n are dst_offsets[n] .. dst_offsets[n+1]-1
 *   - `src_offsets` (read, u32, nodes + 1), `src_edges` (read, u32, edges): outgoing edges of n are
 *     src_edges[src_offsets[n] .. src_offsets[n+1]-1]
 */
export function edgeVectorScatterKernel(): RowKernel {
  const body = [
    "  var g = vec3f(0.0);",
    "  for (var e = dst_offsets[row]; e < dst_offsets[row + 1u]; e++) {",
    "    g += vec3f(grad_vec[e * 3u], grad_vec[e * 3u + 1u], grad_vec[e * 3u + 2u]);",
    "  }",
    "  for (var t = src_offsets[row]; t < src_offsets[row + 1u]; t++) {",
    "    let e = src_edges[t];",
    "    g -= vec3f(grad_vec[e * 3u], grad_vec[e * 3u + 1u], grad_vec[e * 3u + 2u]);",
    "  }",
    "  grad_pos[row * 3u] += g.x;",
    "  grad_pos[row * 3u + 1u] += g.y;",
    "  grad_pos[row * 3u + 2u] += g.z;",
  ];
  const bindings = [readF32("grad_vec"), writeF32("grad_pos"), readU32("dst_offsets"), readU32("src_offsets"), readU32("src_edges")];
  return describedRowKernel("edge_vector_scatter", "nodes", bindings, body);
}
