/**
 * The layer kinds: what each takes, which options it has, and how its output irreps follow from (or must be
 * reachable from) its inputs. Each rule reports against the argument or literal it concerns.
 */
import type { Call, IrrepsLiteral, LayerDecl, Span } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { Irrep, Irreps, MulIr } from "../o3/irreps.js";
import { convolutionTensorProduct } from "../o3/fully-connected.js";
import { effectiveThetaIrreps, thetaBlocks, thetaIrreps } from "../o3/theta.js";
import type { Domain } from "../ir/types.js";
import { didYouMean } from "../suggest.js";
import type { CheckedLayer, CheckedSymmetry, LayerOp, Value } from "./model.js";
import { readOptions, type OptionSpec, type Signature } from "./options.js";

export const MAX_L = 8;
const ACTIVATIONS = ["silu", "relu", "tanh", "sigmoid", "identity"] as const;

/** What a positional value argument must be. */
type Role = "features" | "edge_attr" | "embedding" | "attr";

interface LayerKind {
  roles: readonly Role[];
  /** Minimum number of value arguments (the rest of `roles` is optional); `variadic` repeats the last role. */
  minValues: number;
  variadic?: boolean;
  options: Readonly<Record<string, OptionSpec>>;
  /** "declared": `-> irreps` is required; "derived": computed (and a declared one must agree). */
  output: "declared" | "derived" | "optional";
}

const radialOptions: Record<string, OptionSpec> = {
  radial: { type: "intList", min: 1, max: 4096, maxLength: 8, default: [16] },
  act: { type: "word", values: ACTIVATIONS, default: "silu" },
  num_neighbors: { type: "number", greaterThan: 0, max: 1e9, default: 1 },
};
const thetaOptions: Record<string, OptionSpec> = {
  lmax: { type: "int", min: 0, max: MAX_L, optional: true },
  mul: { type: "int", min: 1, max: 64, optional: true },
};

export const LAYER_KINDS: Readonly<Record<LayerOp, LayerKind>> = {
  relaxed_conv: { roles: ["features", "edge_attr", "embedding"], minValues: 3, options: { ...radialOptions, ...thetaOptions }, output: "declared" },
  relaxed_node: { roles: ["features"], minValues: 1, options: thetaOptions, output: "declared" },
  conv: {
    roles: ["features", "edge_attr", "embedding"],
    minValues: 3,
    options: { ...radialOptions, paths: { type: "word", values: ["uvw", "uvu"], default: "uvw" } },
    output: "optional",
  },
  linear: { roles: ["features"], minValues: 1, options: {}, output: "declared" },
  self_connection: { roles: ["features", "attr"], minValues: 1, options: {}, output: "declared" },
  gate: {
    roles: ["features"],
    minValues: 1,
    options: { scalars: { type: "word", values: ACTIVATIONS, default: "silu" }, gates: { type: "word", values: ACTIVATIONS, default: "sigmoid" } },
    output: "declared",
  },
  norm: { roles: ["features"], minValues: 1, options: { eps: { type: "number", greaterThan: 0, max: 1, default: 1e-5 } }, output: "derived" },
  pool: { roles: ["features"], minValues: 1, options: { reduce: { type: "word", values: ["sum", "mean"], default: "sum" } }, output: "derived" },
  add: { roles: ["features", "features"], minValues: 2, options: {}, output: "derived" },
  concat: { roles: ["features"], minValues: 2, variadic: true, options: {}, output: "derived" },
};

export function isLayerOp(name: string): name is LayerOp {
  return Object.prototype.hasOwnProperty.call(LAYER_KINDS, name);
}

/** Irreps from a literal, reporting zero multiplicities and l beyond what the kernels support. */
export function irrepsOfLiteral(lit: IrrepsLiteral, diags: Diagnostic[]): Irreps | undefined {
  let ok = true;
  for (const t of lit.terms) {
    if (t.mul < 1) {
      diags.push(error("E124", `multiplicity must be at least 1 in '${t.text}'`, t.span));
      ok = false;
    } else if (t.mul > 4096) {
      diags.push(error("E110", `multiplicity ${t.mul} in '${t.text}' is larger than the supported 4096`, t.span));
      ok = false;
    }
    if (t.l > MAX_L) {
      diags.push(error("E110", `l = ${t.l} in '${t.text}' is larger than the supported ${MAX_L}`, t.span));
      ok = false;
    }
  }
  return ok ? new Irreps(lit.terms.map((t) => new MulIr(t.mul, new Irrep(t.l, t.p)))) : undefined;
}

/** Irreps of a ⊗ b (all paths), as a set of distinct irreps. */
function productSet(a: Irreps, b: Irreps): Irrep[] {
  const out: Irrep[] = [];
  for (const x of a) for (const y of b) for (const ir of x.ir.times(y.ir)) if (!out.some((o) => o.equals(ir))) out.push(ir);
  return out;
}

function reachable(out: Irreps, from: Irrep[]): MulIr[] {
  return out.entries.filter((e) => !from.some((ir) => ir.equals(e.ir)));
}

export interface LayerContext {
  decl: LayerDecl;
  resolve: (arg: Call["args"][number], role: Role, index: number) => Value | undefined;
  symmetry: CheckedSymmetry | undefined;
  symmetrySpan: Span | undefined;
  diags: Diagnostic[];
}

const domainWord = (d: Domain) => `per ${d}`;

/** Checks one layer declaration whose inputs are known; returns the checked layer or undefined on error. */
export function checkLayer(ctx: LayerContext): CheckedLayer | undefined {
  const { decl, diags } = ctx;
  const call = decl.value;
  const opName = call.callee.name;
  if (!isLayerOp(opName)) {
    diags.push(error("E104", `unknown layer kind '${opName}' (kinds: ${Object.keys(LAYER_KINDS).join(", ")})`, call.callee.span, didYouMean(opName, Object.keys(LAYER_KINDS))));
    return undefined;
  }
  const op = opName;
  const kind = LAYER_KINDS[op];
  const errorsBefore = diags.length;

  // Leading unnamed arguments are the values; the first named one starts the options.
  let nValues = call.args.findIndex((a) => a.name !== undefined);
  if (nValues < 0) nValues = call.args.length;
  const maxValues = kind.variadic ? Infinity : kind.roles.length;
  if (nValues < kind.minValues || nValues > maxValues) {
    const want = kind.variadic ? `at least ${kind.minValues}` : kind.minValues === kind.roles.length ? `${kind.minValues}` : `${kind.minValues} to ${kind.roles.length}`;
    diags.push(error("E113", `${op} takes ${want} input${kind.minValues === 1 && !kind.variadic ? "" : "s"} (${kind.roles.join(", ")}), found ${nValues}`, call.span));
    return undefined;
  }
  for (const arg of call.args.slice(nValues)) {
    if (!arg.name) {
      diags.push(error("E113", `inputs of ${op} come before its named options`, arg.span));
      return undefined;
    }
  }
  const inputs: (Value | undefined)[] = call.args.slice(0, nValues).map((arg, i) => ctx.resolve(arg, kind.roles[Math.min(i, kind.roles.length - 1)]!, i));
  const signature: Signature = { options: kind.options };
  const options = readOptions({ ...call, args: call.args.slice(nValues) }, 0, signature, diags, op);
  if (inputs.some((v) => v === undefined) || diags.length > errorsBefore) return undefined;
  const values = inputs as Value[];
  const x = values[0]!;
  const declared = decl.output ? irrepsOfLiteral(decl.output, diags) : undefined;
  if (decl.output && !declared) return undefined;
  if (kind.output === "declared" && !declared) {
    diags.push(error("E127", `layer '${decl.name.name}' needs its output irreps: write ${op}(…) -> irreps`, call.span));
    return undefined;
  }
  const outSpan = decl.output?.span ?? call.span;
  const unreachable = (missing: MulIr[], from: string): undefined => {
    diags.push(
      error(
        "E112",
        `output ${missing.map((m) => m.ir.toString()).join(", ")} of layer '${decl.name.name}' cannot be reached from ${from} (parity and triangle rules)`,
        outSpan,
      ),
    );
    return undefined;
  };
  const sameDomain = (vs: Value[], what: string): boolean => {
    const bad = vs.find((v) => v.domain !== vs[0]!.domain);
    if (bad) {
      diags.push(error("E115", `${what}: '${bad.name}' is ${domainWord(bad.domain)} but '${vs[0]!.name}' is ${domainWord(vs[0]!.domain)}`, call.span));
      return false;
    }
    return true;
  };
  const checkDerived = (derived: Irreps): Irreps | undefined => {
    if (declared && !declared.equals(derived)) {
      diags.push(error("E126", `layer '${decl.name.name}' produces ${derived.toString()}, not the declared ${declared.toString()}`, outSpan));
      return undefined;
    }
    return derived;
  };
  const done = (irrepsOut: Irreps, domain: Domain, theta?: { lmax: number; mul: number }): CheckedLayer => {
    const layer: CheckedLayer = { name: decl.name.name, op, inputs: values, irrepsOut, domain, options };
    if (theta) layer.theta = theta;
    return layer;
  };
  const thetaOf = (): { lmax: number; mul: number; effective: Irreps } | undefined => {
    const sym = ctx.symmetry;
    // A symmetry clause with its own errors has been reported already.
    if (!sym && ctx.symmetrySpan) return undefined;
    if (!sym || !sym.relaxed) {
      diags.push(error("E122", `layer '${decl.name.name}' is relaxed but the model has no 'symmetry relax to …' clause`, call.callee.span, "add `symmetry relax to C1 lmax 2` for a fully relaxed model"));
      return undefined;
    }
    const lmax = (options.lmax as number | undefined) ?? sym.lmax;
    const mul = (options.mul as number | undefined) ?? sym.mul;
    return { lmax, mul, effective: effectiveThetaIrreps(thetaBlocks(sym.group, lmax, mul)) };
  };
  const nodeInput = (v: Value, what: string): boolean => {
    if (v.domain !== "node") {
      diags.push(error("E115", `${what} needs node features, but '${v.name}' is ${domainWord(v.domain)}`, call.args[0]!.span));
      return false;
    }
    return true;
  };

  switch (op) {
    case "relaxed_conv": {
      if (!nodeInput(x, op)) return undefined;
      const theta = thetaOf();
      if (!theta) return undefined;
      // F = FCTP(θ, Y) has all of θ's irreps as outputs; only θ's non-zero blocks feed it.
      const full = thetaIrreps(theta.lmax, theta.mul);
      const f = productSet(theta.effective, values[1]!.irreps).filter((ir) => full.entries.some((e) => e.ir.equals(ir)));
      const missing = reachable(declared!, productSet(x.irreps, new Irreps(f.map((ir) => new MulIr(1, ir)))));
      if (missing.length) return unreachable(missing, `'${x.name}' (${x.irreps}) times θ ⊗ '${values[1]!.name}' (θ keeps ${theta.effective.toString() || "nothing"} under ${ctx.symmetry!.keep})`);
      return done(declared!, "node", { lmax: theta.lmax, mul: theta.mul });
    }
    case "relaxed_node": {
      const theta = thetaOf();
      if (!theta) return undefined;
      const missing = reachable(declared!, productSet(x.irreps, theta.effective));
      if (missing.length) return unreachable(missing, `'${x.name}' (${x.irreps}) times θ (${theta.effective.toString() || "nothing"} under ${ctx.symmetry!.keep})`);
      return done(declared!, x.domain, { lmax: theta.lmax, mul: theta.mul });
    }
    case "conv": {
      if (!nodeInput(x, op)) return undefined;
      const sh = values[1]!;
      if (options.paths === "uvu") {
        const set = declared ?? new Irreps(productSet(x.irreps, sh.irreps).map((ir) => new MulIr(1, ir)));
        const { irrepsMid } = convolutionTensorProduct(x.irreps, sh.irreps, set);
        const missing = declared ? declared.entries.filter((e) => !irrepsMid.entries.some((m) => m.ir.equals(e.ir))) : [];
        if (missing.length) return unreachable(missing, `'${x.name}' (${x.irreps}) ⊗ '${sh.name}' (${sh.irreps})`);
        return done(irrepsMid, "node");
      }
      if (!declared) {
        diags.push(error("E127", `layer '${decl.name.name}' needs its output irreps with paths: uvw: write conv(…) -> irreps`, call.span));
        return undefined;
      }
      const missing = reachable(declared, productSet(x.irreps, sh.irreps));
      if (missing.length) return unreachable(missing, `'${x.name}' (${x.irreps}) ⊗ '${sh.name}' (${sh.irreps})`);
      return done(declared, "node");
    }
    case "linear": {
      const missing = reachable(declared!, x.irreps.entries.map((e) => e.ir));
      if (missing.length) return unreachable(missing, `'${x.name}' (${x.irreps}) by a linear map, which only mixes equal irreps`);
      return done(declared!, x.domain);
    }
    case "self_connection": {
      const attr = values[1];
      if (attr && !sameDomain([x, attr], "self_connection")) return undefined;
      const a = attr?.irreps ?? Irreps.parse("0e");
      const missing = reachable(declared!, productSet(x.irreps, a));
      if (missing.length) return unreachable(missing, `'${x.name}' (${x.irreps}) ⊗ ${attr ? `'${attr.name}' (${attr.irreps})` : "1x0e"}`);
      return done(declared!, x.domain);
    }
    case "gate": {
      const scalars = declared!.entries.filter((e) => e.l === 0);
      const gated = declared!.entries.filter((e) => e.l > 0);
      const nGates = gated.reduce((s, e) => s + e.mul, 0);
      const expected = new Irreps([...scalars, ...(nGates ? [new MulIr(nGates, new Irrep(0, 1))] : []), ...gated]);
      if (!x.irreps.simplify().equals(expected.simplify())) {
        diags.push(
          error(
            "E121",
            `gate output ${declared!.toString()} needs input scalars + gates + gated = ${expected.simplify().toString()}, but '${x.name}' is ${x.irreps.toString()}`,
            call.args[0]!.span,
          ),
        );
        return undefined;
      }
      if (declared!.entries.findIndex((e) => e.l > 0) >= 0 && declared!.entries.slice(declared!.entries.findIndex((e) => e.l > 0)).some((e) => e.l === 0)) {
        diags.push(error("E121", `gate output ${declared!.toString()} must list its scalars before the gated irreps`, outSpan));
        return undefined;
      }
      return done(declared!, x.domain);
    }
    case "norm": {
      const out = checkDerived(x.irreps);
      return out && done(out, x.domain);
    }
    case "pool": {
      if (!nodeInput(x, op)) return undefined;
      const out = checkDerived(x.irreps);
      return out && done(out, "graph");
    }
    case "add": {
      if (!sameDomain(values, "add")) return undefined;
      if (!values[1]!.irreps.equals(x.irreps)) {
        diags.push(error("E126", `add needs equal irreps: '${x.name}' is ${x.irreps}, '${values[1]!.name}' is ${values[1]!.irreps}`, call.span));
        return undefined;
      }
      const out = checkDerived(x.irreps);
      return out && done(out, x.domain);
    }
    case "concat": {
      if (!sameDomain(values, "concat")) return undefined;
      const out = checkDerived(new Irreps(values.flatMap((v) => v.irreps.entries)));
      return out && done(out, x.domain);
    }
  }
}
