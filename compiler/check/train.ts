/** The `train { … }` block: loss, optimiser, schedule, epochs, batch, regularisation, seed, checkpoints. */
import type { Call, Expression, Setting, TrainBlock } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import type { TrainIR } from "../ir/types.js";
import { didYouMean } from "../suggest.js";
import type { Value } from "./model.js";
import { readOptions, readValue, type OptionSpec, type Signature } from "./options.js";

const SCALARS: Record<string, OptionSpec> = {
  epochs: { type: "int", min: 1, max: 10_000_000, default: 100 },
  batch: { type: "int", min: 1, max: 1_000_000, default: 1 },
  seed: { type: "int", min: 0, max: 4294967295, default: 0 },
  checkpoint_every: { type: "int", min: 1, max: 10_000_000, default: 10 },
};
const CALLS = ["loss", "optimizer", "schedule", "regularize"] as const;
export const TRAIN_KEYS = [...CALLS, ...Object.keys(SCALARS)];

const OPTIMIZERS: Record<string, Signature> = {
  sgd: { positional: ["lr"], options: { lr: { type: "number", greaterThan: 0, max: 1e3 }, momentum: { type: "number", min: 0, lessThan: 1, default: 0 } } },
  adam: {
    positional: ["lr"],
    options: {
      lr: { type: "number", greaterThan: 0, max: 1e3, default: 1e-3 },
      beta1: { type: "number", min: 0, lessThan: 1, default: 0.9 },
      beta2: { type: "number", min: 0, lessThan: 1, default: 0.999 },
      eps: { type: "number", greaterThan: 0, max: 1, default: 1e-8 },
    },
  },
};
const SCHEDULES: Record<string, Signature> = {
  constant: { options: {} },
  step: { positional: ["every", "gamma"], options: { every: { type: "int", min: 1, max: 10_000_000 }, gamma: { type: "number", greaterThan: 0, max: 1, default: 0.5 } } },
  cosine: { positional: ["min_lr"], options: { min_lr: { type: "number", min: 0, max: 1e3, default: 0 } } },
};
const REGULARIZERS: Record<string, Signature> = {
  l2: { positional: ["weight"], options: { weight: { type: "number", min: 0, max: 1e6 } } },
  group_lasso: { positional: ["weight"], options: { weight: { type: "number", min: 0, max: 1e6 } } },
};

/** `name(...)` or a bare `name`, looked up in a table of signatures. */
function readCall(
  e: Expression,
  table: Record<string, Signature>,
  what: string,
  diags: Diagnostic[],
): { kind: string; options: Record<string, unknown> } | undefined {
  const kinds = Object.keys(table);
  if (e.kind !== "Identifier" && e.kind !== "Call") {
    diags.push(error("E113", `${what} must be one of ${kinds.join(", ")}, written like ${kinds[0]}(…)`, e.span));
    return undefined;
  }
  // A bare word is the call without arguments: `schedule: cosine`.
  const call: Call = e.kind === "Call" ? e : { kind: "Call", callee: e, args: [], span: e.span };
  const name = call.callee.name;
  // Names come from the spec: never let `constructor` or `__proto__` find an inherited property.
  const sig = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!sig) {
    diags.push(error("E113", `unknown ${what} '${name}' (${kinds.join(", ")})`, call.callee.span, didYouMean(name, kinds)));
    return undefined;
  }
  const before = diags.length;
  const options = readOptions(call, 0, sig, diags, name);
  return diags.length > before ? undefined : { kind: name, options };
}

export interface TrainContext {
  outputs: Map<string, Value>;
  targets: Map<string, Value>;
  lookup: (name: string) => Value | undefined;
  /** Declared, even if its declaration had errors (already reported): such names are not reported again. */
  isDeclared: (name: string) => boolean;
}

function readLoss(e: Expression, ctx: TrainContext, diags: Diagnostic[]): TrainIR["loss"] | undefined {
  const kinds = ["sse", "mse"];
  if (e.kind !== "Call" || !kinds.includes(e.callee.name)) {
    const name = e.kind === "Call" ? e.callee.name : e.kind === "Identifier" ? e.name : "";
    diags.push(error("E113", `loss must be sse(output, target) or mse(output, target)`, e.kind === "Call" ? e.callee.span : e.span, didYouMean(name, kinds)));
    return undefined;
  }
  if (e.args.length !== 2 || e.args.some((a) => a.name || a.value.kind !== "Identifier")) {
    diags.push(error("E113", `${e.callee.name} takes two names: an output and a target`, e.span));
    return undefined;
  }
  const [o, t] = e.args.map((a) => a.value as Extract<Expression, { kind: "Identifier" }>) as [
    Extract<Expression, { kind: "Identifier" }>,
    Extract<Expression, { kind: "Identifier" }>,
  ];
  const out = ctx.outputs.get(o.name), tgt = ctx.targets.get(t.name);
  if ((!out && ctx.isDeclared(o.name) && !ctx.lookup(o.name)) || (!tgt && ctx.isDeclared(t.name) && !ctx.lookup(t.name))) return undefined;
  if (!out) {
    const known = ctx.lookup(o.name);
    diags.push(error(known ? "E119" : "E103", known ? `'${o.name}' is not an output; the loss compares an output with a target` : `undefined output '${o.name}'`, o.span, didYouMean(o.name, ctx.outputs.keys())));
  }
  if (!tgt) {
    const known = ctx.lookup(t.name);
    diags.push(error(known ? "E119" : "E103", known ? `'${t.name}' is not a target; declare it with 'target ${t.name}: irreps'` : `undefined target '${t.name}'`, t.span, didYouMean(t.name, ctx.targets.keys())));
  }
  if (!out || !tgt) return undefined;
  if (!out.irreps.equals(tgt.irreps) || out.domain !== tgt.domain) {
    diags.push(error("E119", `the loss compares '${o.name}' (${out.irreps} per ${out.domain}) with '${t.name}' (${tgt.irreps} per ${tgt.domain}): they must match`, e.span));
    return undefined;
  }
  return { kind: e.callee.name as "sse" | "mse", output: o.name, target: t.name };
}

/** Checks the train block (or the defaults when there is none). */
export function checkTrain(block: TrainBlock | undefined, ctx: TrainContext, diags: Diagnostic[]): TrainIR {
  const settings = new Map<string, Setting>();
  for (const s of block?.settings ?? []) {
    const key = s.key.name;
    if (!TRAIN_KEYS.includes(key)) {
      diags.push(error("E120", `unknown training setting '${key}' (settings: ${TRAIN_KEYS.join(", ")})`, s.key.span, didYouMean(key, TRAIN_KEYS)));
    } else if (settings.has(key)) {
      diags.push(error("E102", `training setting '${key}' is given twice`, s.key.span));
    } else settings.set(key, s);
  }
  const scalar = (key: string): number => {
    const s = settings.get(key);
    const spec = SCALARS[key]!;
    const v = s ? readValue(key, spec, s.value, diags) : undefined;
    return (v as number | undefined) ?? (spec.default as number);
  };

  let loss: TrainIR["loss"] = null;
  const lossSetting = settings.get("loss");
  if (lossSetting) loss = readLoss(lossSetting.value, ctx, diags) ?? null;
  else if (ctx.outputs.size === 1 && ctx.targets.size === 1) {
    // The one output and the one target: the obvious loss, if they match.
    const [o] = ctx.outputs.values(), [t] = ctx.targets.values();
    if (o!.irreps.equals(t!.irreps) && o!.domain === t!.domain) loss = { kind: "sse", output: o!.name, target: t!.name };
  }

  let optimizer: TrainIR["optimizer"] = { kind: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
  const opt = settings.get("optimizer");
  if (opt) {
    const r = readCall(opt.value, OPTIMIZERS, "optimizer", diags);
    if (r?.kind === "sgd") optimizer = { kind: "sgd", lr: r.options.lr as number, momentum: r.options.momentum as number };
    if (r?.kind === "adam")
      optimizer = { kind: "adam", lr: r.options.lr as number, beta1: r.options.beta1 as number, beta2: r.options.beta2 as number, eps: r.options.eps as number };
  }

  let schedule: TrainIR["schedule"] = { kind: "constant" };
  const sch = settings.get("schedule");
  if (sch) {
    const r = readCall(sch.value, SCHEDULES, "schedule", diags);
    if (r?.kind === "step") schedule = { kind: "step", every: r.options.every as number, gamma: r.options.gamma as number };
    if (r?.kind === "cosine") schedule = { kind: "cosine", minLr: r.options.min_lr as number };
  }

  const regularize: TrainIR["regularize"] = [];
  const reg = settings.get("regularize");
  if (reg) {
    const items = reg.value.kind === "List" ? reg.value.items : [reg.value];
    for (const item of items) {
      const r = readCall(item, REGULARIZERS, "regulariser", diags);
      if (r) regularize.push({ kind: r.kind as "l2" | "group_lasso", weight: r.options.weight as number });
    }
  }

  return {
    loss,
    optimizer,
    schedule,
    epochs: scalar("epochs"),
    batch: scalar("batch"),
    regularize,
    seed: scalar("seed"),
    checkpointEvery: scalar("checkpoint_every"),
  };
}
