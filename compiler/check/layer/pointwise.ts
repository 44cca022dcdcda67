/** Row-wise layers and pooling: gate (scalars + gates + gated in), norm, pool, add and concat (derived outputs). */
import { error } from "../../../grammar/diagnostic.js";
import { Irrep, Irreps, MulIr } from "../../o3/irreps.js";
import { ACTIVATIONS, type LayerKind } from "./rule.js";

export const gateKind: LayerKind = {
  roles: ["features"],
  minValues: 1,
  options: { scalars: { type: "word", values: ACTIVATIONS, default: "silu" }, gates: { type: "word", values: ACTIVATIONS, default: "sigmoid" } },
  output: "declared",
  check(r) {
    const { x, diags } = r;
    const declared = r.declared!;
    const scalars = declared.entries.filter((e) => e.l === 0);
    const gated = declared.entries.filter((e) => e.l > 0);
    const nGates = gated.reduce((s, e) => s + e.mul, 0);
    const expected = new Irreps([...scalars, ...(nGates ? [new MulIr(nGates, new Irrep(0, 1))] : []), ...gated]);
    if (!x.irreps.simplify().equals(expected.simplify())) {
      diags.push(error("E121", `gate output ${declared.toString()} needs input scalars + gates + gated = ${expected.simplify().toString()}, but '${x.name}' is ${x.irreps.toString()}`, r.call.args[0]!.span));
      return undefined;
    }
    const firstGated = declared.entries.findIndex((e) => e.l > 0);
    if (firstGated >= 0 && declared.entries.slice(firstGated).some((e) => e.l === 0)) {
      diags.push(error("E121", `gate output ${declared.toString()} must list its scalars before the gated irreps`, r.outSpan));
      return undefined;
    }
    return r.done(declared, x.domain);
  },
};

export const normKind: LayerKind = {
  roles: ["features"],
  minValues: 1,
  options: { eps: { type: "number", greaterThan: 0, max: 1, default: 1e-5 } },
  output: "derived",
  check(r) {
    const out = r.checkDerived(r.x.irreps);
    return out && r.done(out, r.x.domain);
  },
};

export const poolKind: LayerKind = {
  roles: ["features"],
  minValues: 1,
  options: { reduce: { type: "word", values: ["sum", "mean"], default: "sum" } },
  output: "derived",
  check(r) {
    if (!r.nodeInput(r.x, "pool")) return undefined;
    const out = r.checkDerived(r.x.irreps);
    return out && r.done(out, "graph");
  },
};

export const addKind: LayerKind = {
  roles: ["features", "features"],
  minValues: 2,
  options: {},
  output: "derived",
  check(r) {
    const { x, values } = r;
    if (!r.sameDomain(values, "add")) return undefined;
    if (!values[1]!.irreps.equals(x.irreps)) {
      r.diags.push(error("E126", `add needs equal irreps: '${x.name}' is ${x.irreps}, '${values[1]!.name}' is ${values[1]!.irreps}`, r.call.span));
      return undefined;
    }
    const out = r.checkDerived(x.irreps);
    return out && r.done(out, x.domain);
  },
};

export const concatKind: LayerKind = {
  roles: ["features"],
  minValues: 2,
  variadic: true,
  options: {},
  output: "derived",
  check(r) {
    if (!r.sameDomain(r.values, "concat")) return undefined;
    const out = r.checkDerived(new Irreps(r.values.flatMap((v) => v.irreps.entries)));
    return out && r.done(out, r.x.domain);
  },
};
