/**
 * Loads the float64 reference vectors written by e3nn itself from ../shared/e3nn-vectors/ (never copied into
 * the repo). A missing directory is a hard failure: those tests are the judge of the o3 math.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const vectorsDir = resolve(here, "..", "..", "shared", "e3nn-vectors");

export function loadVectors<T>(name: "wigner3j" | "spherical_harmonics" | "wigner_D" | "tensor_products"): T {
  const file = join(vectorsDir, `${name}.json`);
  if (!existsSync(file)) {
    throw new Error(`e3nn reference vectors not found at ${file}: the repo expects ../shared/e3nn-vectors beside it`);
  }
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

export interface W3jVectors {
  entries: { l1: number; l2: number; l3: number; shape: number[]; data: number[][][] }[];
}

export interface ShVectors {
  vectors: number[][];
  sh: Record<"component" | "norm" | "integral", Record<string, number[][]>>;
}

export interface WignerDVectors {
  rotations: number[][][];
  improper: number[][][];
  angles: number[][];
  entries: { rot: number; improper: boolean; l: number; p: 1 | -1; D: number[][]; D_accurate: number[][] }[];
}

export interface TensorProductCase {
  name: string;
  kind: string;
  irreps_in1: string;
  irreps_in2: string;
  irreps_out: string;
  irreps_out_set?: string;
  shared_weights: boolean;
  instructions: [number, number, number, string, boolean, number][];
  path_shapes: number[][];
  weight_numel: number;
  batch: number;
  weight: number[] | number[][];
  x1: number[][];
  x2: number[][];
  out: number[][];
  g: number[][];
  grad_x1: number[][];
  grad_x2: number[][];
  grad_weight: number[] | number[][];
  irrep_normalization: "component" | "norm" | "none";
  path_normalization: "element" | "path" | "none";
}

export interface TensorProductVectors {
  cases: TensorProductCase[];
}

/** Flattens nested arrays of numbers, row-major. */
export function flat(x: unknown): Float64Array {
  const out: number[] = [];
  const walk = (v: unknown) => (Array.isArray(v) ? v.forEach(walk) : out.push(v as number));
  walk(x);
  return Float64Array.from(out);
}

/** Largest absolute difference between two arrays of the same length (throws on a length mismatch). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** One whole e3nn gate_points_2101.Convolution case (see ../shared/e3nn-conventions.md §7), flat arrays. */
export interface E3nnConvolutionCase {
  numNodes: number;
  x: number[];
  pos: number[];
  src: number[];
  dst: number[];
  /** Under regnn's parameter names for specs/bench_conv.regnn, in e3nn's flat layouts. */
  weights: Record<string, number[]>;
  radial_weights_first_edge: number[];
  y: number[];
}

export interface E3nnConvolutionVectors {
  source: string;
  /** The factors e3nn multiplies each activation by. */
  normalize2mom: Record<"silu" | "relu" | "tanh" | "sigmoid", number>;
  cases: E3nnConvolutionCase[];
}

export function loadE3nnConvolution(): E3nnConvolutionVectors {
  const file = join(vectorsDir, "gate_points_convolution.json");
  if (!existsSync(file)) throw new Error(`e3nn reference vectors not found at ${file}: the repo expects ../shared/e3nn-vectors beside it`);
  return JSON.parse(readFileSync(file, "utf8")) as E3nnConvolutionVectors;
}
