/** Linear layers mix equal irreps only; a self-connection reaches what x ⊗ its attribute (or 1x0e) reaches. */
import { Irreps } from "../../o3/irreps.js";
import { productSet, reachable, type LayerKind } from "./rule.js";

export const linearKind: LayerKind = {
  roles: ["features"],
  minValues: 1,
  options: {},
  output: "declared",
  check(r) {
    const { x, declared } = r;
    const missing = reachable(declared!, x.irreps.entries.map((e) => e.ir));
    if (missing.length) return r.unreachable(missing, `'${x.name}' (${x.irreps}) by a linear map, which only mixes equal irreps`);
    return r.done(declared!, x.domain);
  },
};

export const selfConnectionKind: LayerKind = {
  roles: ["features", "attr"],
  minValues: 1,
  options: {},
  output: "declared",
  check(r) {
    const { x, declared } = r;
    const attr = r.values[1];
    if (attr && !r.sameDomain([x, attr], "self_connection")) return undefined;
    const a = attr?.irreps ?? Irreps.parse("0e");
    const missing = reachable(declared!, productSet(x.irreps, a));
    if (missing.length) return r.unreachable(missing, `'${x.name}' (${x.irreps}) ⊗ ${attr ? `'${attr.name}' (${attr.irreps})` : "1x0e"}`);
    return r.done(declared!, x.domain);
  },
};
