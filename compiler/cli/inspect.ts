/**
 * `regnnc inspect`: reads trained weights (safetensors, as CompiledModel.save writes them) with the spec they
 * were trained from, and reports for each relaxed layer the point group its θ keeps, the axes, and the norm
 * of θ per irrep.
 */
import { decodeSafetensors } from "../../runtime/model/safetensors.js";
import type { ModelIR } from "../ir/types.js";
import { detectSymmetry, type DetectedSymmetry } from "../o3/detect-symmetry.js";
import { thetaFromCoefficients, thetaLayout } from "../nn/theta-layout.js";

export interface LayerSymmetry {
  layer: string;
  irreps: string;
  theta: number[];
  detected: DetectedSymmetry;
}

/** The symmetry of every relaxed layer of `ir` in the weights `bytes`; throws naming what is missing. */
export function inspectWeights(ir: ModelIR, bytes: Uint8Array, what: string, options: { tolerance?: number } = {}): { layers: LayerSymmetry[]; warnings: string[] } {
  const { tensors, metadata } = decodeSafetensors(bytes, what);
  const warnings: string[] = [];
  if (metadata.spec_sha256 && metadata.spec_sha256 !== ir.source.sha256) {
    warnings.push(`${what} was saved from a different version of the spec (its hash differs); layouts may not match`);
  }
  const layers: LayerSymmetry[] = [];
  for (const l of ir.layers) {
    if (!("theta" in l)) continue;
    const t = tensors[l.theta];
    if (!t) throw new Error(`${what}: no tensor '${l.theta}' (θ of layer '${l.name}')`);
    const layout = thetaLayout(ir, l.theta, l.thetaIrreps);
    const theta = thetaFromCoefficients(layout, t.data);
    const detected = detectSymmetry(theta, l.thetaIrreps, options.tolerance === undefined ? {} : { tolerance: options.tolerance });
    layers.push({ layer: l.name, irreps: l.thetaIrreps, theta: Array.from(theta), detected });
  }
  if (layers.length === 0) warnings.push(`model '${ir.model}' has no relaxed layer: nothing to inspect`);
  return { layers, warnings };
}

const vec = (v: number[] | undefined) => (v ? `(${v.map((x) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(3)).join(", ")})` : "");

/** The report as printed: one block per layer. */
export function formatInspection(layers: readonly LayerSymmetry[]): string {
  return layers
    .map((s) => {
      const d = s.detected;
      const axes = [d.axis && `axis ${vec(d.axis)}`, d.secondary && `secondary ${vec(d.secondary)}`].filter(Boolean).join(", ");
      const norms = d.breaking.map((b) => `${b.irrep} ${b.norm.toExponential(2)}`).join("  ");
      return `layer ${s.layer}: keeps ${d.group}${axes ? `, ${axes}` : ""} (residual ${d.residual.toExponential(1)})\n  |θ| per irrep: ${norms || "(scalar only)"}`;
    })
    .join("\n");
}
