/**
 * What training found: the point group each relaxed layer's θ keeps (read from the saved weights exactly as
 * `regnnc inspect` reads them), what it keeps on the input when the graphs share one point group (as
 * `regnnc train` prints it: Stab(θ) ∩ the input's group), and θ on the sphere (the SVG `regnnc inspect
 * --picture` rasterises).
 */
import type { GraphInput } from "../../runtime/graph/batching.js";
import { inspectWeights } from "../../compiler/cli/inspect.js";
import { inputGroupForReadout } from "../../compiler/discover/input-symmetry.js";
import { keptOnInput } from "../../compiler/discover/kept-on-input.js";
import { thetaPictureSvg } from "../../compiler/cli/theta-picture.js";
import type { ModelIR } from "../../compiler/ir/types.js";

const vec = (v: number[] | undefined) => (v ? `(${v.map((x) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(3)).join(", ")})` : "");

export function showSymmetry(ir: ModelIR, weights: Uint8Array, graphs: readonly GraphInput[], text: HTMLElement, pictures: HTMLElement): void {
  const { layers } = inspectWeights(ir, weights, `${ir.model} weights`);
  const input = layers.length > 0 ? inputGroupForReadout(ir, graphs) : null;
  if (layers.length === 0) {
    text.textContent = `${ir.model} has no relaxed layer`;
    pictures.replaceChildren();
    return;
  }
  text.replaceChildren(
    ...layers.map((l) => {
      const row = document.createElement("div");
      row.className = "layer-symmetry";
      row.dataset["layer"] = l.layer;
      row.dataset["group"] = l.detected.group;
      const axes = [l.detected.axis && `axis ${vec(l.detected.axis)}`, l.detected.secondary && `secondary ${vec(l.detected.secondary)}`].filter(Boolean).join(", ");
      const kept = input ? keptOnInput(l.detected, input) : null;
      if (kept?.onInput) row.dataset["keptOnInput"] = kept.onInput.name;
      row.textContent = `layer ${l.layer}: keeps ${l.detected.group}${axes ? `, ${axes}` : ""}${kept?.suffix ?? ""}`;
      return row;
    }),
  );
  pictures.replaceChildren(
    ...layers.map((l) => {
      const img = document.createElement("img");
      img.alt = `θ of layer ${l.layer} on the sphere`;
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(thetaPictureSvg(`layer ${l.layer}`, l.theta, l.irreps, l.detected))}`;
      return img;
    }),
  );
}

export function clearSymmetry(text: HTMLElement, pictures: HTMLElement): void {
  text.innerHTML = `<span class="muted">after training</span>`;
  pictures.replaceChildren();
}
