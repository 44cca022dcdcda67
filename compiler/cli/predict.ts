/**
 * `regnnc predict` and `regnnc eval`: a spec's model with saved weights (checked to be that model's,
 * weights.ts) run forward on a dataset, in batches of the spec's size. predict writes each graph's outputs
 * (JSON, or extended XYZ for per-node outputs); eval reports the spec's loss and, per target, the mean
 * squared and mean absolute error.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { createDevice, CompiledModel, planOptionsFor, type ModelPlan } from "../../runtime/index.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { planModel } from "../codegen/plan.js";
import { dimOf } from "../codegen/plan/context.js";
import type { ModelIR } from "../ir/types.js";
import { readDataset } from "../data/read.js";
import { fileSystemError } from "./fs-errors.js";
import { kernelProgress } from "./kernel-progress.js";

export interface RunOptions {
  weights: string;
  data: string;
  quiet?: boolean;
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw fileSystemError(e, path, "read");
  }
}

/** Runs `ir` with the weights on the data, calling `each` with every batch, its graphs, its outputs and the plan run. */
async function runBatches(
  ir: ModelIR,
  options: RunOptions,
  withTargets: boolean,
  log: (line: string) => void,
  each: (batch: GraphBatch, graphs: readonly GraphInput[], outputs: Record<string, Float32Array>, plan: ModelPlan) => void,
): Promise<number> {
  const graphs = readDataset(options.data, ir, { withTargets });
  if (!withTargets) {
    // Batching lays out the targets too; the forward pass never reads them, so absent ones are zeros.
    for (const t of ir.targets) {
      const dim = dimOf(t.irreps);
      for (const g of graphs) {
        if (Object.hasOwn(g.features, t.name)) continue;
        const rows = t.domain === "node" ? g.numNodes : t.domain === "graph" ? 1 : (g.edges?.src.length ?? 0);
        g.features[t.name] = new Float64Array(rows * dim);
      }
    }
  }
  if (graphs.length === 0) throw new Error(`${basename(options.data)}: no graphs`);
  const bytes = readBytes(options.weights);
  const gpu = await createDevice();
  try {
    const plan = planModel(ir, planOptionsFor(gpu));
    const progress = kernelProgress(ir.model, plan.kernels.length, log, options.quiet);
    const model = await CompiledModel.fromPlan(gpu.device, plan, { onProgress: progress.onProgress });
    progress.finish();
    try {
      model.load(bytes, options.weights);
      for (let b = 0; b < graphs.length; b += ir.train.batch) {
        const part = graphs.slice(b, b + ir.train.batch);
        const batch = model.batch(part);
        each(batch, part, (await model.forward(batch)) as Record<string, Float32Array>, model.plan);
      }
    } finally {
      model.destroy();
    }
  } finally {
    gpu.destroy();
  }
  return graphs.length;
}

/** One graph's rows of a batched array (node, edge or graph domain), as nested rows of `cols` numbers. */
function rowsOfGraph(values: ArrayLike<number>, cols: number, domain: "node" | "edge" | "graph", batch: GraphBatch, g: number): number[][] {
  const rows: number[][] = [];
  const row = (r: number) => rows.push(Array.from({ length: cols }, (_, c) => values[r * cols + c]!));
  if (domain === "graph") row(g);
  else if (domain === "node") for (let n = batch.graphNodeOffsets[g]!; n < batch.graphNodeOffsets[g + 1]!; n++) row(n);
  else for (let e = 0; e < batch.numEdges; e++) if (batch.nodeGraph[batch.edgeDst[e]!] === g) row(e);
  return rows;
}

export interface Prediction {
  /** Per output name: rows of numbers (one per node, edge, or the graph). */
  outputs: Record<string, number[][]>;
  numNodes: number;
  positions?: number[][];
}

export async function predict(ir: ModelIR, options: RunOptions, log: (line: string) => void): Promise<Prediction[]> {
  const out: Prediction[] = [];
  await runBatches(ir, options, false, log, (batch, graphs, outputs, plan) => {
    graphs.forEach((graph, g) => {
      const p: Prediction = { outputs: {}, numNodes: graph.numNodes };
      for (const o of plan.outputs) p.outputs[o.name] = rowsOfGraph(outputs[o.name]!, o.cols, o.domain, batch, g);
      const pos = plan.batch.positions;
      if (pos && graph.features[pos]) p.positions = rowsOfGraph(graph.features[pos]!, 3, "node", { ...batch, graphNodeOffsets: Uint32Array.of(0, graph.numNodes) }, 0);
      out.push(p);
    });
  });
  return out;
}

export function predictionsJson(ir: ModelIR, options: RunOptions, predictions: readonly Prediction[]): string {
  const graphs = predictions.map((p) => ({ nodes: p.numNodes, outputs: p.outputs }));
  return `${JSON.stringify({ format: "regnn-predictions-1", model: ir.model, weights: basename(options.weights), data: basename(options.data), outputs: ir.outputs.map((o) => ({ name: o.name, irreps: o.irreps, domain: o.domain })), graphs })}\n`;
}

/** Extended XYZ: per-node outputs as columns after the positions, per-graph outputs on the comment line. */
export function predictionsXyz(ir: ModelIR, predictions: readonly Prediction[], path: string): string {
  if (ir.outputs.some((o) => o.domain === "edge")) throw new Error(`${path}: per-edge outputs have no place in extended XYZ; write JSON (-o <file>.json)`);
  if (predictions.some((p) => !p.positions)) throw new Error(`${path}: model '${ir.model}' has no positions input to write as XYZ; write JSON (-o <file>.json)`);
  const num = (v: number) => (Number.isFinite(v) ? String(v) : "nan");
  const nodeOutputs = ir.outputs.filter((o) => o.domain === "node");
  const graphOutputs = ir.outputs.filter((o) => o.domain === "graph");
  const frames = predictions.map((p) => {
    const props = ["species:S:1", "pos:R:3", ...nodeOutputs.map((o) => `${o.name}:R:${p.outputs[o.name]![0]?.length ?? 0}`)].join(":");
    const extra = graphOutputs.map((o) => `${o.name}="${p.outputs[o.name]![0]!.map(num).join(" ")}"`).join(" ");
    const lines = p.positions!.map((xyz, n) => ["X", ...xyz.map(num), ...nodeOutputs.flatMap((o) => p.outputs[o.name]![n]!.map(num))].join(" "));
    return `${p.numNodes}\nProperties=${props}${extra ? ` ${extra}` : ""}\n${lines.join("\n")}\n`;
  });
  return frames.join("");
}

export interface Evaluation {
  graphs: number;
  /** The spec's loss (sse or mse) over the whole dataset taken as one batch. */
  loss: { kind: "sse" | "mse"; value: number };
  targets: { target: string; output: string; count: number; mse: number; mae: number }[];
}

export async function evaluate(ir: ModelIR, options: RunOptions, log: (line: string) => void): Promise<Evaluation> {
  const loss = ir.train.loss;
  if (!loss) throw new Error(`${ir.model} declares no loss (train { loss: sse(output, target) }): nothing to compare the outputs with`);
  let sq = 0, abs = 0, count = 0;
  const graphs = await runBatches(ir, options, true, log, (batch, _graphs, outputs) => {
    const y = outputs[loss.output]!, t = batch.features[loss.target]!;
    for (let i = 0; i < y.length; i++) {
      const d = y[i]! - t[i]!;
      sq += d * d;
      abs += Math.abs(d);
    }
    count += y.length;
  });
  const mse = sq / Math.max(1, count);
  return { graphs, loss: { kind: loss.kind, value: loss.kind === "sse" ? sq : mse }, targets: [{ target: loss.target, output: loss.output, count, mse, mae: abs / Math.max(1, count) }] };
}

export function formatEvaluation(e: Evaluation, data: string): string {
  const lines = [`${basename(data)}: ${e.graphs} graph${e.graphs === 1 ? "" : "s"}, loss (${e.loss.kind}) ${e.loss.value.toExponential(4)}`];
  for (const t of e.targets) lines.push(`  ${t.target} (output ${t.output}, ${t.count} numbers): MSE ${t.mse.toExponential(4)}  MAE ${t.mae.toExponential(4)}`);
  return lines.join("\n");
}
