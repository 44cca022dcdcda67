/**
 * Sizes a spec fixes whatever the data: the parameter count and, per convolution, the per-edge weights of
 * its radial MLP and the tables built from them. Kernels address every buffer with u32 indices, so a size
 * past 2^32 - 1 numbers can never run on any device: it is an error on the layer that makes it, here,
 * instead of an internal failure while the kernels are generated. (Sizes that depend on the batch are
 * checked at run time against the device: runtime/model/plan-size.ts.)
 */
import type { Span } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { radialTableApplies, radialTableCells, radialTableChunks } from "../codegen/wgsl/radial-table.js";
import { lower } from "../ir/lower.js";
import type { CheckedModel } from "./model.js";

/** The most numbers a u32 index reaches. */
export const MAX_ADDRESSABLE = 0xffffffff;

/**
 * Reports E140 on each layer whose parameters or radial tables pass {@link MAX_ADDRESSABLE} numbers.
 * `layerSpans` maps each layer's name to its declaration.
 */
export function checkSizes(model: CheckedModel, layerSpans: ReadonlyMap<string, Span>, diags: Diagnostic[]): void {
  const ir = lower(model, { file: "", text: "" });
  const size = (name: string) => ir.params.find((p) => p.name === name)!;
  let paramsReported = false;
  for (const layer of ir.layers) {
    const span = layerSpans.get(layer.name);
    if (!span) continue;
    const report = (what: string, count: number, change: string) =>
      diags.push(error("E140", `layer '${layer.name}' ${what} ${count} numbers, more than 32-bit indices reach (${MAX_ADDRESSABLE})`, span, change));
    const last = layer.params.length ? size(layer.params[layer.params.length - 1]!) : undefined;
    if (last && last.offset + last.size > MAX_ADDRESSABLE && !paramsReported) {
      // Every later layer's parameters lie past this one's: the first layer over the limit is the one to report.
      paramsReported = true;
      report("brings the model's parameters to", last.offset + last.size, "use smaller multiplicities (or fewer layers)");
      continue;
    }
    if (layer.op !== "conv" && layer.op !== "relaxed_conv") continue;
    const perEdge = layer.radial.sizes[layer.radial.sizes.length - 1]!;
    const uvw = layer.op === "conv" && layer.paths === "uvw" ? ", or `paths: uvu`" : "";
    const attr = ir.edgeAttrs.find((e) => e.name === layer.inputs[2]);
    if (ir.graph.positions && radialTableApplies(attr, layer.radial)) {
      const cells = radialTableCells(attr);
      const table = radialTableChunks(cells, perEdge) * (cells + 1) * perEdge;
      if (table > MAX_ADDRESSABLE) report(`needs ${perEdge} radial weights per edge; their table over the edge length holds`, table, `use smaller multiplicities in its input or output irreps${uvw}`);
    }
  }
}
