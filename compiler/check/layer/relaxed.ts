/** Relaxed layers: their output must be reachable through the θ irreps the kept group leaves non-zero. */
import { thetaIrreps } from "../../o3/theta.js";
import { convOptions } from "./conv.js";
import { irrepsOf, MAX_L, productSet, reachable, type LayerKind } from "./rule.js";
import type { OptionSpec } from "../options.js";

const thetaOptions: Record<string, OptionSpec> = {
  lmax: { type: "int", min: 0, max: MAX_L, optional: true },
  mul: { type: "int", min: 1, max: 64, optional: true },
};

export const relaxedConvKind: LayerKind = {
  roles: ["features", "edge_attr", "embedding"],
  minValues: 3,
  options: { ...convOptions, ...thetaOptions },
  output: "declared",
  check(r) {
    const { x, values, declared } = r;
    if (!r.nodeInput(x, "relaxed_conv")) return undefined;
    const theta = r.thetaOf();
    if (!theta) return undefined;
    // F = FCTP(θ, Y) has all of θ's irreps as outputs; only θ's non-zero blocks feed it.
    const full = thetaIrreps(theta.lmax, theta.mul);
    const f = productSet(theta.effective, values[1]!.irreps).filter((ir) => full.entries.some((e) => e.ir.equals(ir)));
    const missing = reachable(declared!, productSet(x.irreps, irrepsOf(f)));
    if (missing.length) return r.unreachable(missing, `'${x.name}' (${x.irreps}) times θ ⊗ '${values[1]!.name}' (θ keeps ${theta.effective.toString() || "nothing"} under ${r.symmetry!.keep})`);
    return r.done(declared!, "node", { lmax: theta.lmax, mul: theta.mul });
  },
};

export const relaxedNodeKind: LayerKind = {
  roles: ["features"],
  minValues: 1,
  options: thetaOptions,
  output: "declared",
  check(r) {
    const { x, declared } = r;
    const theta = r.thetaOf();
    if (!theta) return undefined;
    const missing = reachable(declared!, productSet(x.irreps, theta.effective));
    if (missing.length) return r.unreachable(missing, `'${x.name}' (${x.irreps}) times θ (${theta.effective.toString() || "nothing"} under ${r.symmetry!.keep})`);
    return r.done(declared!, x.domain, { lmax: theta.lmax, mul: theta.mul });
  },
};
