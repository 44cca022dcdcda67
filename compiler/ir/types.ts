/**
 * The IR: plain JSON, everything resolved. It is the contract between the compiler front end and every
 * consumer (WGSL / TypeScript emitters, the float64 reference). `ir.schema.json` beside it is enforced on
 * every IR the compiler emits.
 */

// 2: relaxed layers carry their θ layout (thetaLayout), which codegen and the reference read.
export const IR_VERSION = 2;

export type Domain = "node" | "edge" | "graph";
export type Activation = "silu" | "relu" | "tanh" | "sigmoid" | "identity";

/** A tensor product as compiler/o3's `TensorProduct` builds it (e3nn's paths, path weights and flat weights). */
export interface TensorProductIR {
  irrepsIn1: string;
  irrepsIn2: string;
  irrepsOut: string;
  irrepNormalization: "component" | "norm" | "none";
  pathNormalization: "element" | "path" | "none";
  sharedWeights: boolean;
  weightNumel: number;
  instructions: {
    i1: number;
    i2: number;
    iOut: number;
    mode: "uvw" | "uvu" | "uvv" | "uuw" | "uuu";
    hasWeight: boolean;
    pathWeight: number;
    pathShape: number[];
    weightOffset: number;
  }[];
}

/** e3nn's FullyConnectedNet without biases: x <- act(x W_k / sqrt(fan_in)), no activation after the last. */
export interface RadialMlpIR {
  /** Input size, hidden sizes, output size (the weight count of the tensor product it feeds). */
  sizes: number[];
  act: Activation;
  /** e3nn's normalize2mom constant: the activation applied is actScale * act(x). */
  actScale: number;
  /** Parameter names, one (fan_in, fan_out) matrix per layer. */
  params: string[];
}

export interface ParamIR {
  name: string;
  shape: number[];
  /** Offset in the model's flat parameter vector. */
  offset: number;
  size: number;
  /** normal: N(0, 1), as e3nn initialises its weights; ones; zeros; theta_scalar: the pure scalar θ. */
  init: "normal" | "ones" | "zeros" | "theta_scalar";
  /** True for relaxed weights (θ coefficients): the regulariser applies to them. */
  relaxed: boolean;
}

export interface FieldIR {
  name: string;
  irreps: string;
  domain: Domain;
}

/** A model output: the value it exports (a layer or an input) under its own name. */
export interface OutputIR extends FieldIR {
  source: string;
}

export type EdgeAttrIR =
  | { name: string; op: "spherical_harmonics"; irreps: string; lmax: number; normalization: "component" | "norm" | "integral"; normalize: boolean }
  | {
      name: string;
      op: "radial_basis";
      irreps: string;
      /** e3nn's `soft_one_hot_linspace(r, start, cutoff, count, basis, cutoff=True)`, times `scale`. */
      basis: "bessel" | "gaussian" | "smooth_finite" | "cosine" | "fourier";
      count: number;
      start: number;
      cutoff: number;
      scale: number;
    };

/** One block of θ: `mul` copies of irrep (l, p), each `basis.length` coefficients c with θ_copy = c · basis. */
export interface ThetaBlockIR {
  irrep: string;
  mul: number;
  /** Orthonormal rows spanning the H-invariant subspace of the irrep (k x (2l+1)); k may be 0. */
  basis: number[][];
}

/**
 * The θ of one relaxed layer, θ = B c block by block: for each irrep of the layer's θ irreps (in order) and
 * each copy u < mul, `rank` coefficients c[coefOffset + u·rank + k] give θ[thetaOffset + u·(2l+1) + i] =
 * Σ_k c[…k] · basis[k][i]. Lowering writes it; codegen and the reference read it (no consumer recomputes a
 * point group's invariant bases).
 */
export interface ThetaLayoutIR {
  blocks: (ThetaBlockIR & { rank: number; thetaOffset: number; coefOffset: number })[];
  /** The dimension of θ and the number of coefficients. */
  dim: number;
  coefficients: number;
  /** The coefficients of the pure scalar θ (every 0e copy 1): the θ parameter's initial value. */
  scalar: number[];
}

export interface SymmetryIR {
  /** The group the model keeps, canonical Schoenflies name. */
  keep: string;
  relaxed: boolean;
  axis: [number, number, number];
  secondary: [number, number, number];
  /**
   * θ's irreps (`mul x (0e + 0o + 1o + 1e + …)`) and the invariant basis of each block, when relaxed. The
   * blocks reach the largest lmax any relaxed layer uses (a layer may override the clause's lmax and mul).
   */
  theta: { irreps: string; lmax: number; mul: number; blocks: ThetaBlockIR[]; coefficients: number } | null;
}

export interface GraphIR {
  mode: "radius" | "knn" | "full" | "edges";
  radius: number | null;
  maxNeighbors: number | null;
  k: number | null;
  /** Name of the positions input, when there is one. */
  positions: string | null;
}

interface LayerBase {
  name: string;
  inputs: string[];
  domain: Domain;
  irrepsOut: string;
  params: string[];
}

export type LayerIR =
  | (LayerBase & {
      op: "relaxed_conv";
      theta: string;
      thetaIrreps: string;
      thetaLayout: ThetaLayoutIR;
      /** F = FCTP_W(θ, Y): shared weights. */
      tpTheta: TensorProductIR;
      /** message = FCTP_R(x_src, F): per-edge weights from the radial MLP. */
      tpMessage: TensorProductIR;
      radial: RadialMlpIR;
      numNeighbors: number;
    })
  | (LayerBase & { op: "relaxed_node"; theta: string; thetaIrreps: string; thetaLayout: ThetaLayoutIR; tp: TensorProductIR })
  | (LayerBase & { op: "conv"; paths: "uvw" | "uvu"; tp: TensorProductIR; radial: RadialMlpIR; numNeighbors: number })
  | (LayerBase & { op: "linear"; tp: TensorProductIR })
  | (LayerBase & { op: "self_connection"; tp: TensorProductIR; attr: string | null })
  | (LayerBase & {
      op: "gate";
      scalars: string;
      gates: string;
      gated: string;
      actScalars: Activation;
      actGates: Activation;
      /** normalize2mom constants, as e3nn's Gate applies them. */
      actScalarsScale: number;
      actGatesScale: number;
    })
  | (LayerBase & { op: "norm"; eps: number })
  | (LayerBase & { op: "pool"; reduce: "sum" | "mean" })
  | (LayerBase & { op: "add" })
  | (LayerBase & { op: "concat" });

/** A layer's op: the key of every per-op registry (checker, lowering, reference, planner). */
export type LayerOp = LayerIR["op"];
/** The layer IR of one op. */
export type LayerOf<K extends LayerOp> = Extract<LayerIR, { op: K }>;

export interface TrainIR {
  loss: { kind: "sse" | "mse"; output: string; target: string } | null;
  optimizer:
    | { kind: "sgd"; lr: number; momentum: number }
    | { kind: "adam"; lr: number; beta1: number; beta2: number; eps: number };
  schedule: { kind: "constant" } | { kind: "step"; every: number; gamma: number } | { kind: "cosine"; minLr: number };
  epochs: number;
  batch: number;
  regularize: { kind: "l2" | "group_lasso"; weight: number }[];
  seed: number;
  checkpointEvery: number;
}

export interface ModelIR {
  irVersion: typeof IR_VERSION;
  model: string;
  source: { file: string; sha256: string };
  symmetry: SymmetryIR;
  graph: GraphIR;
  inputs: FieldIR[];
  targets: FieldIR[];
  edgeAttrs: EdgeAttrIR[];
  /** In execution order. */
  layers: LayerIR[];
  outputs: OutputIR[];
  params: ParamIR[];
  paramCount: number;
  train: TrainIR;
}
