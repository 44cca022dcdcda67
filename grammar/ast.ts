/**
 * The .regnn abstract syntax tree. Every node carries the span of source it came from, so the checker can
 * point a diagnostic at exactly the token or construct that is wrong.
 */

/** A range of source: offsets are 0-based UTF-16 indices, end exclusive; lines and columns are 1-based. */
export interface Span {
  startOffset: number;
  endOffset: number;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface NodeBase {
  span: Span;
}

export interface Identifier extends NodeBase {
  kind: "Identifier";
  name: string;
}

export interface NumberLiteral extends NodeBase {
  kind: "Number";
  value: number;
  /** As written, e.g. "1e-2". */
  text: string;
}

export interface StringLiteral extends NodeBase {
  kind: "String";
  /** Unescaped value. */
  value: string;
}

/** One `mul x l p` term of an irreps literal; `mul` is 1 when not written. */
export interface IrrepTerm extends NodeBase {
  kind: "IrrepTerm";
  mul: number;
  l: number;
  /** 1 even ("e"), -1 odd ("o"); "y" is resolved to (-1)^l by the parser. */
  p: 1 | -1;
  text: string;
}

/** `32x0e + 16x1o`. */
export interface IrrepsLiteral extends NodeBase {
  kind: "Irreps";
  terms: IrrepTerm[];
}

/** `(0, 0, 1)`. */
export interface TupleLiteral extends NodeBase {
  kind: "Tuple";
  items: Expression[];
}

/** `[16, 16]`. */
export interface ListLiteral extends NodeBase {
  kind: "List";
  items: Expression[];
}

/** `name(arg, key: value, ...)`. */
export interface Call extends NodeBase {
  kind: "Call";
  callee: Identifier;
  args: Argument[];
}

/** A positional (`name` undefined) or named (`key: value`) argument. */
export interface Argument extends NodeBase {
  kind: "Argument";
  name?: Identifier;
  value: Expression;
}

/** A reference to a name, or a bare word such as `silu`, `sum` or `component`. */
export type Expression = NumberLiteral | StringLiteral | Identifier | IrrepsLiteral | TupleLiteral | ListLiteral | Call;

/** A point group name as written: `D4h`, `C∞v`, `Cinfv`, `O(3)`, `SO(3)`. */
export interface GroupName extends NodeBase {
  kind: "GroupName";
  name: string;
}

/** `symmetry relax to D4h axis (0, 0, 1) secondary (1, 0, 0) lmax 4 mul 2`, or `symmetry O(3)`. */
export interface SymmetryDecl extends NodeBase {
  kind: "Symmetry";
  /** The group the model keeps. `symmetry O(3)` (no relaxation) keeps O(3). */
  group: GroupName;
  /** True when written `relax to <group>`: θ is added and restricted to the group's invariant subspace. */
  relax: boolean;
  axis?: TupleLiteral;
  secondary?: TupleLiteral;
  lmax?: NumberLiteral;
  mul?: NumberLiteral;
}

export type GraphMode = "radius" | "knn" | "full" | "edges";

/** `graph radius 1.8 max_neighbors 12`, `graph knn 8`, `graph full`, `graph edges`. */
export interface GraphDecl extends NodeBase {
  kind: "Graph";
  mode: GraphMode;
  modeSpan: Span;
  radius?: NumberLiteral;
  maxNeighbors?: NumberLiteral;
  k?: NumberLiteral;
}

export type Domain = "node" | "edge" | "graph";

/** `input x: 16x0e per node`, `input pos: positions`, `target y: 0e + 1o per graph`. */
export interface FieldDecl extends NodeBase {
  kind: "Input" | "Target";
  name: Identifier;
  /** An irreps literal, or the word `positions` (node positions, 1x1o per node). */
  type: IrrepsLiteral | Identifier;
  /** Written `per node|edge|graph`; undefined means per node. */
  domain?: Domain;
  domainSpan?: Span;
}

/** `edge sh = spherical_harmonics(lmax: 2)`, `edge emb = bessel(count: 8, cutoff: 1.8)`. */
export interface EdgeDecl extends NodeBase {
  kind: "Edge";
  name: Identifier;
  value: Call;
}

/** `layer h = relaxed_conv(x, sh, emb, radial: [16]) -> 0e + 1o + 2e`; the output irreps may be omitted. */
export interface LayerDecl extends NodeBase {
  kind: "Layer";
  name: Identifier;
  value: Call;
  output?: IrrepsLiteral;
}

/** `output y = h2`, optionally `per node|edge|graph` (checked against the layer's domain). */
export interface OutputDecl extends NodeBase {
  kind: "Output";
  name: Identifier;
  source: Identifier;
  domain?: Domain;
  domainSpan?: Span;
}

/** `key: value` inside `train { ... }`. */
export interface Setting extends NodeBase {
  kind: "Setting";
  key: Identifier;
  value: Expression;
}

export interface TrainBlock extends NodeBase {
  kind: "Train";
  settings: Setting[];
}

export type Declaration = SymmetryDecl | GraphDecl | FieldDecl | EdgeDecl | LayerDecl | OutputDecl | TrainBlock;

/** `model Name { declarations }`. */
export interface ModelDecl extends NodeBase {
  kind: "Model";
  name: Identifier;
  body: Declaration[];
}

/** A whole .regnn file: one model. */
export interface SpecFile extends NodeBase {
  kind: "SpecFile";
  models: ModelDecl[];
}
