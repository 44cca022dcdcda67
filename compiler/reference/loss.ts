/**
 * The training loss `ir.train.loss` of an output against `batch.features[target]`, and its gradient with respect
 * to that output (the `gradOutputs` of executeBackward):
 *   sse: Σ (y - t)²                          grad 2 (y - t)
 *   mse: Σ (y - t)² / (number of entries)    grad 2 (y - t) / (number of entries)
 */
import type { ModelIR } from "../ir/types.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";

export interface LossResult {
  value: number;
  /** Gradient with respect to each output (only the loss's output). */
  grad: Record<string, Float64Array>;
}

export function loss(ir: ModelIR, outputs: Record<string, Float64Array>, batch: GraphBatch): LossResult {
  const spec = ir.train.loss;
  if (!spec) throw new Error(`model '${ir.model}' has no loss (train { loss: … })`);
  const y = outputs[spec.output];
  if (!y) throw new Error(`outputs.${spec.output}: the loss's output is missing`);
  const t = batch.features[spec.target];
  if (!t) throw new Error(`batch.features.${spec.target}: the loss's target is missing`);
  if (t.length !== y.length) throw new Error(`batch.features.${spec.target} has ${t.length} numbers, the output '${spec.output}' ${y.length}`);
  const n = y.length;
  const scale = spec.kind === "sse" ? 1 : n > 0 ? 1 / n : 0;
  let value = 0;
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = y[i]! - t[i]!;
    value += d * d;
    g[i] = 2 * d * scale;
  }
  return { value: value * scale, grad: { [spec.output]: g } };
}
