/**
 * `regnnc inspect`: reads trained weights (safetensors, as CompiledModel.save writes them) with the spec they
 * were trained from, and reports for each relaxed layer the point group its θ keeps, the axes, and the norm
 * of θ per irrep.
 */
import { decodeSafetensors } from "../../runtime/model/safetensors.js";
import { weightsFromDecoded } from "../../runtime/model/weights.js";
import type { ModelIR } from "../ir/types.js";
import { detectSymmetry, type DetectedSymmetry } from "../o3/detect-symmetry.js";
import { Irreps } from "../o3/irreps.js";
import { thetaFromCoefficients, thetaLayout } from "../nn/theta-layout.js";
import { irSha256 } from "../ir/identity.js";
import type { NamedGroup } from "../o3/subgroups.js";
import { keptOnInput } from "../discover/kept-on-input.js";

export interface LayerSymmetry {
  layer: string;
  irreps: string;
  theta: number[];
  detected: DetectedSymmetry;
}

/**
 * The symmetry of every relaxed layer of `ir` in the weights `bytes` (weights or a checkpoint). The file must
 * be `ir`'s model: its name, every tensor's name, dtype and shape are checked (weights.ts); throws naming the
 * file and what does not fit.
 */
export function inspectWeights(ir: ModelIR, bytes: Uint8Array, what: string, options: { tolerance?: number } = {}): { layers: LayerSymmetry[]; warnings: string[] } {
  const decoded = decodeSafetensors(bytes, what);
  const { tensors, metadata } = decoded;
  // θ first, with the layer it belongs to: the most telling message when the file is another model's.
  for (const l of ir.layers) if ("theta" in l && !tensors[l.theta]) throw new Error(`${what}: no tensor '${l.theta}' (θ of layer '${l.name}')`);
  weightsFromDecoded(decoded, ir, what);
  const warnings: string[] = [];
  // A checkpoint records the IR's hash (blind to comments); plain weights only the spec text's.
  if (metadata.ir_sha256 ? metadata.ir_sha256 !== irSha256(ir) : metadata.spec_sha256 && metadata.spec_sha256 !== ir.source.sha256) {
    warnings.push(`${what} was saved from a different version of the spec (its hash differs); layouts may not match`);
  }
  const layers: LayerSymmetry[] = [];
  for (const l of ir.layers) {
    if (!("theta" in l)) continue;
    const t = tensors[l.theta]!;
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${what}: θ of layer '${l.name}' holds ${t.data[bad]} (coefficient ${bad}): these weights are not usable (saved from a diverged run?)`);
    const layout = thetaLayout(ir, l.theta, l.thetaIrreps);
    const theta = thetaFromCoefficients(layout, t.data);
    const detected = detectSymmetry(theta, l.thetaIrreps, options.tolerance === undefined ? {} : { tolerance: options.tolerance });
    layers.push({ layer: l.name, irreps: l.thetaIrreps, theta: Array.from(theta), detected });
  }
  if (layers.length === 0) warnings.push(`model '${ir.model}' has no relaxed layer: nothing to inspect`);
  return { layers, warnings };
}

/** θ split by irrep: for each entry of its irreps, each copy's 2l+1 components (e3nn's layout). */
export function thetaByIrrep(theta: readonly number[], irreps: string): { irrep: string; values: number[][] }[] {
  const parsed = Irreps.parse(irreps);
  return parsed.entries.map((e, i) => {
    const at = parsed.offsets[i]!, d = e.ir.dim;
    return { irrep: e.ir.toString(), values: Array.from({ length: e.mul }, (_, u) => theta.slice(at + u * d, at + (u + 1) * d)) };
  });
}

/** The report as JSON: per layer its irreps, θ's values per irrep and what detectSymmetry found. */
export function inspectionJson(layers: readonly LayerSymmetry[]): Record<string, unknown>[] {
  return layers.map(({ layer, irreps, theta, detected }) => ({ layer, irreps, ...detected, theta: thetaByIrrep(theta, irreps) }));
}

const vec = (v: number[] | undefined) => (v ? `(${v.map((x) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(3)).join(", ")})` : "");

/** The report as printed: one block per layer; with the input's group (`--data`), what each layer keeps on it. */
export function formatInspection(layers: readonly LayerSymmetry[], input: NamedGroup | null = null): string {
  return layers
    .map((s) => {
      const d = s.detected;
      const axes = [d.axis && `axis ${vec(d.axis)}`, d.secondary && `secondary ${vec(d.secondary)}`].filter(Boolean).join(", ");
      const norms = d.breaking.map((b) => `${b.irrep} ${b.norm.toExponential(2)}`).join("  ");
      const onInput = input ? keptOnInput(d, input).suffix : "";
      return `layer ${s.layer}: keeps ${d.group}${axes ? `, ${axes}` : ""} (residual ${d.residual.toExponential(1)})${onInput}\n  |θ| per irrep: ${norms || "(scalar only)"}`;
    })
    .join("\n");
}
