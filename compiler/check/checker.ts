/**
 * The checker: resolves names, orders layers, checks the irreps algebra, groups, numbers and the training
 * block, and reports every error of a file in one run. It never throws on user input.
 */
import type { Argument, Declaration, EdgeDecl, FieldDecl, LayerDecl, ModelDecl, OutputDecl, SpecFile, Span, SymmetryDecl } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { Irreps } from "../o3/irreps.js";
import type { Domain, EdgeAttrIR, GraphIR } from "../ir/types.js";
import { didYouMean } from "../suggest.js";
import { checkLayer, irrepsOfLiteral, MAX_L } from "./layers.js";
import type { CheckedLayer, CheckedModel, CheckedSymmetry, Value } from "./model.js";
import { readOptions, type Signature } from "./options.js";
import { checkSymmetry, defaultSymmetry } from "./symmetry.js";
import { checkSizes } from "./sizes.js";
import { checkTrain } from "./train.js";

export interface CheckResult {
  model: CheckedModel | undefined;
  diagnostics: Diagnostic[];
}

/** Names become identifiers in generated code; only plain ASCII names are allowed (no ∞, which groups use). */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * The members TypeScript sees on every object. A target is an optional field of the generated graph type, and
 * TypeScript checks an absent optional field against the inherited member of that name, so a graph without
 * a target named `toString` could never type-check: such target names are refused (E133).
 */
const INHERITED_MEMBERS = ["constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"];

const EDGE_FUNCTIONS: Record<string, Signature> = {
  spherical_harmonics: {
    positional: ["lmax"],
    options: {
      lmax: { type: "int", min: 0, max: MAX_L },
      normalization: { type: "word", values: ["component", "norm", "integral"], default: "component" },
      normalize: { type: "bool", default: true },
    },
  },
  bessel: { positional: ["count"], options: basisOptions() },
  gaussian: { positional: ["count"], options: basisOptions() },
  soft_one_hot: {
    positional: ["count"],
    options: { ...basisOptions(), basis: { type: "word", values: ["smooth_finite", "gaussian", "cosine", "fourier", "bessel"], default: "smooth_finite" } },
  },
};

function basisOptions(): Signature["options"] {
  return {
    count: { type: "int", min: 1, max: 1024 },
    cutoff: { type: "number", greaterThan: 0, max: 1e6 },
    start: { type: "number", min: 0, max: 1e6, default: 0 },
    scale: { type: "number", greaterThan: 0, max: 1e6, default: 1 },
  };
}

function byKind<K extends Declaration["kind"]>(model: ModelDecl, ...kinds: K[]): Extract<Declaration, { kind: K }>[] {
  return model.body.filter((d): d is Extract<Declaration, { kind: K }> => (kinds as string[]).includes(d.kind));
}

export function check(file: SpecFile): CheckResult {
  const diags: Diagnostic[] = [];
  try {
    const model = checkFile(file, diags);
    return { model: diags.some((d) => d.severity === "error") ? undefined : model, diagnostics: diags };
  } catch (e) {
    // A checker bug must not become a stack trace for the user; report it against the whole file.
    const span: Span = file.span;
    diags.push(error("E999", `internal checker error: ${e instanceof Error ? e.message : String(e)}`, span, "please report this with the spec that caused it"));
    return { model: undefined, diagnostics: diags };
  }
}

function checkFile(file: SpecFile, diags: Diagnostic[]): CheckedModel | undefined {
  if (file.models.length === 0) {
    diags.push(error("E100", "the file declares no model: write model Name { … }", file.span));
    return undefined;
  }
  for (const extra of file.models.slice(1)) diags.push(error("E101", `one model per file: '${extra.name.name}' is a second model`, extra.name.span));
  const model = file.models[0]!;
  const before = diags.length;
  plainName(model.name.name, model.name.span, "model", diags);

  // --- names ---------------------------------------------------------------------------------------
  const named = new Map<string, { kind: string; span: Span }>();
  for (const d of byKind(model, "Input", "Target", "Edge", "Layer", "Output")) {
    const name = d.name.name;
    plainName(name, d.name.span, "name", diags);
    const prev = named.get(name);
    if (prev) diags.push(error("E102", `'${name}' is already declared (line ${prev.span.startLine})`, d.name.span));
    else named.set(name, { kind: d.kind, span: d.name.span });
  }
  for (const kind of ["Symmetry", "Graph", "Train"] as const) {
    for (const extra of byKind(model, kind).slice(1)) diags.push(error("E111", `a model has at most one '${kind.toLowerCase()}' declaration`, extra.span));
  }

  // --- symmetry ------------------------------------------------------------------------------------
  const symDecl = byKind(model, "Symmetry")[0] as SymmetryDecl | undefined;
  const symmetry: CheckedSymmetry | undefined = symDecl ? checkSymmetry(symDecl, diags) : defaultSymmetry();

  // --- inputs, targets -----------------------------------------------------------------------------
  const values = new Map<string, Value>();
  const inputs: Value[] = [], targets: Value[] = [];
  for (const d of byKind(model, "Input", "Target") as FieldDecl[]) {
    const v = checkField(d, diags);
    if (!v) continue;
    if (!values.has(v.name)) values.set(v.name, v);
    (d.kind === "Input" ? inputs : targets).push(v);
  }
  const positions = inputs.filter((v) => v.kind === "positions");
  for (const extra of positions.slice(1)) diags.push(error("E111", `only one input may hold the positions ('${positions[0]!.name}' already does)`, extra.span));

  // --- graph ---------------------------------------------------------------------------------------
  const graph = checkGraph(model, positions[0]?.name ?? null, diags);

  // --- edge attributes -----------------------------------------------------------------------------
  const edgeAttrs: EdgeAttrIR[] = [];
  for (const d of byKind(model, "Edge") as EdgeDecl[]) {
    const attr = checkEdge(d, diags);
    if (!attr) continue;
    edgeAttrs.push(attr);
    if (!values.has(attr.name)) values.set(attr.name, { name: attr.name, kind: "edge", irreps: Irreps.parse(attr.irreps), domain: "edge", span: d.name.span });
  }
  const needsPositions = edgeAttrs.length > 0 || graph.mode === "radius" || graph.mode === "knn";
  if (needsPositions && positions.length === 0) {
    const at = byKind(model, "Graph")[0]?.span ?? byKind(model, "Edge")[0]?.span ?? model.name.span;
    diags.push(error("E118", `${graph.mode === "radius" || graph.mode === "knn" ? `a ${graph.mode} graph` : "edge attributes"} need${graph.mode === "radius" || graph.mode === "knn" ? "s" : ""} node positions`, at, "declare them with `input pos: positions`"));
  }

  // --- layers, in dependency order -------------------------------------------------------------------
  const layerDecls = byKind(model, "Layer") as LayerDecl[];
  const layers = checkLayers(layerDecls, values, named, symmetry, symDecl?.span, diags);

  // --- outputs -------------------------------------------------------------------------------------
  const outputs: (Value & { source: string })[] = [];
  const outputMap = new Map<string, Value>();
  for (const d of byKind(model, "Output") as OutputDecl[]) {
    const src = resolveName(d.source.name, d.source.span, values, named, diags);
    if (!src) continue;
    if (src.kind === "target" || src.kind === "positions") {
      diags.push(error("E113", `an output must be a layer or an input, but '${src.name}' is ${src.kind === "target" ? "a target" : "the positions"}`, d.source.span));
      continue;
    }
    if (d.domain && d.domain !== src.domain) {
      diags.push(error("E115", `'${src.name}' is per ${src.domain}, not per ${d.domain}`, d.domainSpan ?? d.span));
      continue;
    }
    const v = { name: d.name.name, kind: "layer" as const, irreps: src.irreps, domain: src.domain, span: d.name.span, source: src.name };
    outputs.push(v);
    outputMap.set(v.name, v);
    if (!values.has(v.name)) values.set(v.name, v);
  }
  if (byKind(model, "Output").length === 0) diags.push(error("E117", `model '${model.name.name}' has no output: write output y = <layer>`, model.name.span));

  // --- training ------------------------------------------------------------------------------------
  const targetMap = new Map(targets.map((t) => [t.name, t] as const));
  const train = checkTrain(byKind(model, "Train")[0], { outputs: outputMap, targets: targetMap, lookup: (n) => values.get(n), isDeclared: (n) => named.has(n) }, diags);

  // --- warnings ------------------------------------------------------------------------------------
  if (symmetry?.relaxed && !layers.some((l) => l.theta) && symDecl && diags.length === before) {
    diags.push({ severity: "warning", code: "W001", message: "'relax to' has no effect: the model has no relaxed layer (relaxed_conv, relaxed_node)", span: symDecl.span });
  }
  // Used means named by a layer or an output as written, whether or not that layer checked: a layer that
  // failed (or waits on one that did) still uses its inputs, so an error never brings false W002s after it.
  const used = new Set<string>([
    ...layerDecls.flatMap((d) => d.value.args.flatMap((a) => (!a.name && a.value.kind === "Identifier" ? [a.value.name] : []))),
    ...byKind(model, "Output").map((o) => o.source.name),
  ]);
  for (const d of layerDecls) {
    if (!used.has(d.name.name)) diags.push({ severity: "warning", code: "W002", message: `layer '${d.name.name}' is computed but never used`, span: d.name.span });
  }

  if (!symmetry || diags.some((d) => d.severity === "error")) return undefined;
  const checked: CheckedModel = { name: model.name.name, symmetry, graph, inputs, targets, edgeAttrs, layers, outputs, train };
  checkSizes(checked, new Map(layerDecls.map((d) => [d.name.name, d.name.span])), diags);
  return checked;
}

function plainName(name: string, span: Span, what: string, diags: Diagnostic[]): void {
  if (!PLAIN_NAME.test(name)) {
    diags.push(error("E130", `${what} '${name.length > 40 ? `${name.slice(0, 40)}…` : name}' must be ASCII letters, digits and _ (at most 128), starting with a letter or _`, span));
  }
}

function checkField(d: FieldDecl, diags: Diagnostic[]): Value | undefined {
  const name = d.name.name;
  if (d.kind === "Target" && INHERITED_MEMBERS.includes(name)) {
    diags.push(
      error("E133", `a target cannot be named '${name}': every JavaScript object has a '${name}', so a graph without this target would not type-check in the generated module`, d.name.span, `rename it, e.g. ${name}_target`),
    );
    return undefined;
  }
  const domain: Domain = d.domain ?? "node";
  if (d.type.kind === "Identifier") {
    if (d.type.name !== "positions" || d.kind === "Target") {
      diags.push(
        error("E113", d.type.name === "positions" ? "a target cannot be the positions" : `the type of '${name}' must be irreps such as 16x0e + 8x1o, or positions`, d.type.span, d.type.name === "positions" ? undefined : didYouMean(d.type.name, ["positions"])),
      );
      return undefined;
    }
    if (domain !== "node") {
      diags.push(error("E115", "positions are per node", d.domainSpan ?? d.span));
      return undefined;
    }
    return { name, kind: "positions", irreps: Irreps.parse("1x1o"), domain, span: d.name.span };
  }
  const irreps = irrepsOfLiteral(d.type, diags);
  return irreps && { name, kind: d.kind === "Input" ? "input" : "target", irreps, domain, span: d.name.span };
}

function checkGraph(model: ModelDecl, positions: string | null, diags: Diagnostic[]): GraphIR {
  const decl = byKind(model, "Graph")[0];
  const graph: GraphIR = { mode: decl?.mode ?? "edges", radius: null, maxNeighbors: null, k: null, positions };
  if (!decl) return graph;
  if (decl.radius) {
    if (!(decl.radius.value > 0) || !Number.isFinite(decl.radius.value) || decl.radius.value > 1e6)
      diags.push(error("E110", `radius must be a positive number up to 1e6, found ${decl.radius.text}`, decl.radius.span));
    else graph.radius = decl.radius.value;
  }
  for (const [lit, key] of [[decl.maxNeighbors, "maxNeighbors"], [decl.k, "k"]] as const) {
    if (!lit) continue;
    if (!Number.isInteger(lit.value) || lit.value < 1 || lit.value > 100_000)
      diags.push(error("E110", `${key === "k" ? "knn" : "max_neighbors"} must be a whole number from 1 to 100000, found ${lit.text}`, lit.span));
    else graph[key] = lit.value;
  }
  return graph;
}

function checkEdge(d: EdgeDecl, diags: Diagnostic[]): EdgeAttrIR | undefined {
  const fn = d.value.callee.name;
  const sig = Object.hasOwn(EDGE_FUNCTIONS, fn) ? EDGE_FUNCTIONS[fn] : undefined;
  if (!sig) {
    const kinds = Object.keys(EDGE_FUNCTIONS);
    diags.push(error("E105", `unknown edge attribute '${fn}' (${kinds.join(", ")})`, d.value.callee.span, didYouMean(fn, kinds)));
    return undefined;
  }
  const before = diags.length;
  const o = readOptions(d.value, 0, sig, diags, fn);
  if (diags.length > before) return undefined;
  const name = d.name.name;
  if (fn === "spherical_harmonics") {
    const lmax = o.lmax as number;
    return { name, op: "spherical_harmonics", irreps: Irreps.sphericalHarmonics(lmax).toString(), lmax, normalization: o.normalization as "component", normalize: o.normalize as boolean };
  }
  const count = o.count as number, start = o.start as number, cutoff = o.cutoff as number;
  if (!(cutoff > start)) {
    diags.push(error("E110", `cutoff (${cutoff}) must be larger than start (${start})`, d.value.span));
    return undefined;
  }
  const basis = fn === "soft_one_hot" ? (o.basis as "smooth_finite") : (fn as "bessel" | "gaussian");
  return { name, op: "radial_basis", irreps: `${count}x0e`, basis, count, start, cutoff, scale: o.scale as number };
}

/** Resolves a referenced name, reporting an undefined one with the nearest known name. */
function resolveName(
  name: string,
  span: Span,
  values: Map<string, Value>,
  named: Map<string, { kind: string; span: Span }>,
  diags: Diagnostic[],
): Value | undefined {
  // Outputs only name a layer or an input; they are not values that layers (or other outputs) can read.
  if (named.get(name)?.kind === "Output") {
    diags.push(error("E113", `'${name}' is an output; name the layer or input it stands for instead`, span));
    return undefined;
  }
  const v = values.get(name);
  if (v) return v;
  // Declared but broken (its own error is already reported): stay quiet rather than cascade.
  if (named.has(name)) return undefined;
  diags.push(error("E103", `undefined name '${name}'`, span, didYouMean(name, named.keys())));
  return undefined;
}

function checkLayers(
  decls: LayerDecl[],
  values: Map<string, Value>,
  named: Map<string, { kind: string; span: Span }>,
  symmetry: CheckedSymmetry | undefined,
  symmetrySpan: Span | undefined,
  diags: Diagnostic[],
): CheckedLayer[] {
  const byName = new Map<string, LayerDecl>();
  for (const d of decls) if (!byName.has(d.name.name)) byName.set(d.name.name, d);
  const deps = (d: LayerDecl) =>
    d.value.args.filter((a) => !a.name && a.value.kind === "Identifier" && byName.has((a.value as { name: string }).name)).map((a) => (a.value as { name: string }).name);

  // Depth-first topological order; a back edge is a cycle, reported once at the layer that closes it.
  const order: LayerDecl[] = [];
  const state = new Map<string, "visiting" | "done">();
  const inCycle = new Set<string>();
  const visit = (d: LayerDecl, path: string[]) => {
    const name = d.name.name;
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      const cycle = [...path.slice(path.indexOf(name)), name];
      cycle.forEach((n) => inCycle.add(n));
      diags.push(error("E116", `layers form a cycle: ${cycle.join(" -> ")}`, d.name.span));
      return;
    }
    state.set(name, "visiting");
    for (const dep of deps(d)) visit(byName.get(dep)!, [...path, name]);
    state.set(name, "done");
    order.push(d);
  };
  // The walk recurses once per layer of a dependency chain; bound it well inside the stack.
  if (decls.length > 1000) {
    diags.push(error("E110", `a model may have at most 1000 layers, found ${decls.length}`, decls[1000]!.span));
    return [];
  }
  for (const d of byName.values()) visit(d, []);

  const checked: CheckedLayer[] = [];
  for (const d of order) {
    if (inCycle.has(d.name.name) || byName.get(d.name.name) !== d) continue;
    const resolve = (arg: Argument, role: string) => {
      if (arg.value.kind !== "Identifier") {
        diags.push(error("E113", `an input of a layer must be a name, found ${arg.value.kind === "Irreps" ? "an irreps literal" : `a ${arg.value.kind.toLowerCase()}`}`, arg.value.span));
        return undefined;
      }
      const v = resolveName(arg.value.name, arg.value.span, values, named, diags);
      if (!v) return undefined;
      const span = arg.value.span;
      if (v.kind === "target") {
        diags.push(error("E113", `'${v.name}' is a target; targets are only compared with outputs by the loss`, span));
        return undefined;
      }
      if (v.kind === "positions") {
        diags.push(error("E113", `'${v.name}' holds the positions, which are not features (they enter through edge attributes)`, span));
        return undefined;
      }
      if ((role === "edge_attr" || role === "embedding") && v.domain !== "edge") {
        diags.push(error("E115", `'${v.name}' must be per edge (an edge attribute), but it is per ${v.domain}`, span));
        return undefined;
      }
      if (role === "embedding" && v.irreps.entries.some((e) => e.l !== 0 || e.p !== 1)) {
        diags.push(error("E115", `the radial input '${v.name}' must be scalars (Nx0e), found ${v.irreps}`, span));
        return undefined;
      }
      return v;
    };
    const layer = checkLayer({ decl: d, resolve, symmetry, symmetrySpan, diags });
    if (!layer) continue;
    checked.push(layer);
    values.set(layer.name, { name: layer.name, kind: "layer", irreps: layer.irrepsOut, domain: layer.domain, span: d.name.span });
  }
  return checked;
}
