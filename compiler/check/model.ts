/**
 * What the checker hands to lowering: the model with every name resolved, every value's irreps and domain
 * known, and layers in execution order. Only produced for a file without errors.
 */
import type { Span } from "../../grammar/ast.js";
import type { Irreps } from "../o3/irreps.js";
import type { PointGroup } from "../o3/point-groups.js";
import type { Domain, EdgeAttrIR, GraphIR, LayerOp, TrainIR } from "../ir/types.js";
import type { OptionValue } from "./options.js";

export type ValueKind = "input" | "positions" | "target" | "edge" | "layer";

/** A named value: an input, a target, an edge attribute or a layer's output. */
export interface Value {
  name: string;
  kind: ValueKind;
  irreps: Irreps;
  domain: Domain;
  span: Span;
}

/** The IR's op names: one list of ops for every stage. */
export type { LayerOp };

export interface CheckedLayer {
  name: string;
  op: LayerOp;
  inputs: Value[];
  irrepsOut: Irreps;
  domain: Domain;
  options: Record<string, OptionValue | undefined>;
  /** For relaxed layers: θ's irreps after per-layer lmax / mul overrides. */
  theta?: { lmax: number; mul: number };
}

export interface CheckedSymmetry {
  keep: string;
  relaxed: boolean;
  group: PointGroup;
  lmax: number;
  mul: number;
}

export interface CheckedModel {
  name: string;
  symmetry: CheckedSymmetry;
  graph: GraphIR;
  inputs: Value[];
  targets: Value[];
  edgeAttrs: EdgeAttrIR[];
  layers: CheckedLayer[];
  outputs: (Value & { source: string })[];
  train: TrainIR;
}
