/** Convolutions: "uvw" needs its output declared and reachable; "uvu" derives e3nn's mid irreps. */
import { Irreps } from "../../o3/irreps.js";
import { convolutionTensorProduct } from "../../o3/fully-connected.js";
import { error } from "../../../grammar/diagnostic.js";
import type { OptionSpec } from "../options.js";
import { ACTIVATIONS, irrepsOf, productSet, reachable, type LayerKind } from "./rule.js";

/** The radial MLP's options, shared with relaxed_conv. */
export const convOptions: Record<string, OptionSpec> = {
  radial: { type: "intList", min: 1, max: 4096, maxLength: 8, default: [16] },
  act: { type: "word", values: ACTIVATIONS, default: "silu" },
  num_neighbors: { type: "number", greaterThan: 0, max: 1e9, default: 1 },
};

export const convKind: LayerKind = {
  roles: ["features", "edge_attr", "embedding"],
  minValues: 3,
  options: { ...convOptions, paths: { type: "word", values: ["uvw", "uvu"], default: "uvw" } },
  output: "optional",
  check(r) {
    const { x, values, declared, options } = r;
    if (!r.nodeInput(x, "conv")) return undefined;
    const sh = values[1]!;
    if (options.paths === "uvu") {
      const set: Irreps = declared ?? irrepsOf(productSet(x.irreps, sh.irreps));
      const { irrepsMid } = convolutionTensorProduct(x.irreps, sh.irreps, set);
      const missing = declared ? declared.entries.filter((e) => !irrepsMid.entries.some((m) => m.ir.equals(e.ir))) : [];
      if (missing.length) return r.unreachable(missing, `'${x.name}' (${x.irreps}) ⊗ '${sh.name}' (${sh.irreps})`);
      return r.done(irrepsMid, "node");
    }
    if (!declared) {
      r.diags.push(error("E127", `layer '${r.decl.name.name}' needs its output irreps with paths: uvw: write conv(…) -> irreps`, r.call.span));
      return undefined;
    }
    const missing = reachable(declared, productSet(x.irreps, sh.irreps));
    if (missing.length) return r.unreachable(missing, `'${x.name}' (${x.irreps}) ⊗ '${sh.name}' (${sh.irreps})`);
    return r.done(declared, "node");
  },
};
