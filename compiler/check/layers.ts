/**
 * The layer kinds: what each takes, which options it has, and how its output irreps follow from (or must be
 * reachable from) its inputs. What every kind shares (arguments, options, declared output) is read here;
 * each kind's own rule (layer/) reports against the argument or literal it concerns.
 */
import type { Call, IrrepsLiteral, LayerDecl, Span } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { Irrep, Irreps, MulIr } from "../o3/irreps.js";
import { effectiveThetaIrreps, thetaBlocks } from "../o3/theta.js";
import type { Domain } from "../ir/types.js";
import { didYouMean } from "../suggest.js";
import type { CheckedLayer, CheckedSymmetry, LayerOp, Value } from "./model.js";
import { readOptions, type Signature } from "./options.js";
import { convKind } from "./layer/conv.js";
import { linearKind, selfConnectionKind } from "./layer/linear.js";
import { addKind, concatKind, gateKind, normKind, poolKind } from "./layer/pointwise.js";
import { relaxedConvKind, relaxedNodeKind } from "./layer/relaxed.js";
import { MAX_L, type LayerKind, type LayerRuleContext, type Role } from "./layer/rule.js";

export { MAX_L } from "./layer/rule.js";

/** Every layer kind, keyed by op so that an op without a check does not type-check (rules: layer/). */
export const LAYER_KINDS: Readonly<Record<LayerOp, LayerKind>> = {
  relaxed_conv: relaxedConvKind,
  relaxed_node: relaxedNodeKind,
  conv: convKind,
  linear: linearKind,
  self_connection: selfConnectionKind,
  gate: gateKind,
  norm: normKind,
  pool: poolKind,
  add: addKind,
  concat: concatKind,
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

  const rule: LayerRuleContext = { decl, call, symmetry: ctx.symmetry, diags, values, x, options, declared, outSpan, unreachable, sameDomain, checkDerived, nodeInput, thetaOf, done };
  return kind.check(rule);
}
