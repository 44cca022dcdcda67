/**
 * The search of `regnnc discover`, apart from Node: the largest group H the data keeps, found by models. The
 * spec's relax clause gives θ's lmax and mul; discover chooses the group. It trains the spec fully relaxed
 * (C1) once, then decides candidate groups (search.ts): the subgroups of the input's point group, every
 * orientation, when all graphs share one; otherwise groups containing what the relaxed model's θ keeps, along
 * its axes. A candidate fits when its loss passes the criterion of criterion.ts; a lower bound from the data
 * rules candidates out and the relaxed model's θ, projected, rules them in without training; the rest train
 * with the spec's own training block from the same initial weights, on one compiled model whose θ basis is
 * swapped between candidates (no recompiling).
 *
 * Everything that touches Node (reading the dataset, opening the device, writing files, the progress bar)
 * comes in through `DiscoverRun`, so the same code runs in `regnnc discover` (compiler/cli/discover.ts) and in
 * the browser playground (web/src/discover-view.ts).
 */
import { NonFiniteLossError, planOptionsFor, type GpuContext, type PipelineProgress } from "../../runtime/index.js";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { epochOrder, initialParams } from "../../runtime/model/compiled-model.js";
import { encodeSafetensors } from "../../runtime/model/safetensors.js";
import { planModel } from "../codegen/plan.js";
import { compileSource } from "../compile.js";
import type { ModelIR } from "../ir/types.js";
import { detectSymmetry } from "../o3/detect-symmetry.js";
import { Irreps } from "../o3/irreps.js";
import { pointGroup, type PointGroup } from "../o3/point-groups.js";
import { dataSymmetry } from "../o3/data-symmetry.js";
import type { StructureSymmetry } from "../o3/structure-symmetry.js";
import { identifyGroup, subgroups, type NamedGroup } from "../o3/subgroups.js";
import { FIT_FACTOR, FIT_FLOOR, fitThreshold } from "./criterion.js";
import { epochLossBound, symmetrisationDistance } from "./data-bound.js";
import { isSubgroup } from "./group-order.js";
import { DEFAULT_INPUT_TOLERANCE, graphInputSymmetry, sameMatrices } from "./input-symmetry.js";
import { keptOnInput, namedOf, type Kept } from "./kept-on-input.js";
import { keepsC1, relaxedTo, symmetryClause } from "./relaxed-spec.js";
import { searchLargestFitting, type Candidate, type Decision } from "./search.js";
import { SwappableThetaModel } from "./swappable-model.js";
import { coefficientsFromTable, thetaFromTable } from "./theta-coefficients.js";
import { candidateFrame, groupsContaining } from "./theta-candidates.js";
import { byText, candidateTable, disagreement, groupText, inputText, intersect } from "./report.js";

export interface DiscoverCandidateJson {
  group: string;
  axis: number[] | null;
  secondary: number[] | null;
  loss: number | null;
  fits: boolean;
}

export interface DiscoverJson {
  group: string;
  axis: number[] | null;
  secondary: number[] | null;
  input_group: string | null;
  candidates: DiscoverCandidateJson[];
  weights: string;
}

export interface DiscoverResult {
  json: DiscoverJson;
  /** The report as `regnnc discover` prints it without --json; its last line is the answer. */
  text: string;
  /** How each tried candidate was decided (the text table's last column). */
  decisions: Decision[];
  /** The data's own symmetry (no model), when every graph's input has the same point group. */
  dataGroup: NamedGroup | null;
  /** Per relaxed layer: what the fully relaxed model's θ keeps, and with the input's group. */
  layers: { layer: string; kept: Kept }[];
  trainings: number;
  /** The answer, with its axes as found (json's are rounded). */
  answer: NamedGroup;
  /** The input's common point group, or null (then `inputWhy` says why). */
  input: NamedGroup | null;
  inputWhy: string;
  /** The order candidates were tried in: largest first with an input group, smallest first without. */
  order: "descending" | "ascending";
}

/** What discover made: the winning model's weights in the layout of the spec relaxed to C1, and that spec when it is not the spec itself. */
export interface DiscoverFiles {
  model: string;
  weights: Uint8Array;
  relaxedSpec: string | null;
}

/** Follows a run: the kernels' compilation, each training's epochs, each candidate decided. */
export interface DiscoverProgress {
  pipelines?(p: PipelineProgress): void;
  trainingStart?(what: string, epochs: number): void;
  epoch?(epoch: number, loss: number, regularization: number): void;
  trainingEnd?(): void;
  decision?(d: Decision, index: number, total: number): void;
}

export interface DiscoverRun {
  /** The dataset's graphs, read for the IR of the spec relaxed to C1 (after the spec compiles, so its errors come first). */
  graphs(ir: ModelIR): GraphInput[];
  /** The dataset's name, for messages. */
  dataName: string;
  /** The device to train on (not destroyed here: the caller owns it). */
  device(): Promise<GpuContext>;
  /** Keeps what discover made; returns where the weights went and every file written, for the report. */
  save(files: DiscoverFiles): { weights: string; written: string[] };
  /** Tolerance of the input's and the data's symmetry (units of the positions and feature values). */
  tolerance?: number;
  progress?: DiscoverProgress;
  /** Stops the run between epochs; it then throws DiscoverStoppedError. */
  signal?: AbortSignal;
}

export class DiscoverStoppedError extends Error {
  constructor() {
    super("discover stopped before it decided");
    this.name = "DiscoverStoppedError";
  }
}

const round = (v: number[] | null) => (v ? v.map((x) => (Math.abs(x) < 5e-7 ? 0 : Math.round(x * 1e6) / 1e6)) : null);

export async function runDiscover(specText: string, specFile: string, run: DiscoverRun, note: (line: string) => void): Promise<DiscoverResult> {
  const decl = symmetryClause(specText);
  if (typeof decl === "string") throw new Error(decl);
  const c1Text = keepsC1(decl) ? specText : relaxedTo(specText, decl, { name: "C1", axis: null, secondary: null });
  const compiled = compileSource(c1Text, specFile);
  if (!compiled.ir) throw new Error(`the spec relaxed to C1 does not compile: ${compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  const ir = compiled.ir;
  const loss = ir.train.loss;
  if (!loss) throw new Error(`${ir.model} declares no loss: add train { loss: sse(output, target) }`);
  const tolerance = run.tolerance ?? DEFAULT_INPUT_TOLERANCE;
  const graphs: GraphInput[] = run.graphs(ir);
  if (graphs.length === 0) throw new Error(`${run.dataName}: no graphs to train on`);
  const progress = run.progress ?? {};
  const stopped = () => run.signal?.aborted === true;
  const checkStopped = () => {
    if (stopped()) throw new DiscoverStoppedError();
  };

  // --- the input's symmetry, and the data's own (no model) -------------------------------------------
  const perGraph = graphs.map((g) => graphInputSymmetry(ir, g, tolerance));
  const first = perGraph[0]!.symmetry;
  const input: StructureSymmetry | null = first && perGraph.every((p) => p.symmetry && sameMatrices(p.symmetry, first)) ? first : null;
  const inputWhy = input ? "" : perGraph.find((p) => !p.symmetry) ? (perGraph.find((p) => !p.symmetry) as { why: string }).why : "the graphs' inputs have different point groups";
  const target = ir.targets.find((t) => t.name === loss.target)!;
  const output = ir.outputs.find((o) => o.name === loss.output)!;
  const targetDomain = target.domain === "edge" ? null : target.domain;
  let dataGroup: NamedGroup | null = null;
  if (input && targetDomain) {
    try {
      const kept = perGraph.map((p, i) => dataSymmetry(p.symmetry!, [{ irreps: target.irreps, values: graphs[i]!.features[target.name]!, perNode: targetDomain === "node" }], { tolerance }));
      const common = kept[0]!.operations.filter((op) => kept.every((k) => k.operations.some((q) => q.matrix.every((v, j) => Math.abs(v - op.matrix[j]!) < 1e-6))));
      dataGroup = identifyGroup(common.map((o) => o.matrix));
    } catch (e) {
      note(`  the data's own symmetry could not be read (${(e as Error).message}); the models answer alone`);
    }
  }

  // --- one compiled model for every candidate ----------------------------------------------------------
  checkStopped();
  const gpu = await run.device();
  const plan = planModel(ir, { thetaBasis: "buffer", ...planOptionsFor(gpu) });
  const seed = ir.train.seed, epochs = ir.train.epochs;
  const init = initialParams(plan, seed);
  const finalOrder = epochOrder(graphs.length, seed, epochs - 1);
  const model = await SwappableThetaModel.create(gpu.device, plan, { params: init, ...(progress.pipelines ? { onProgress: progress.pipelines } : {}) });
  let trainings = 0;
  try {
    const train = async (group: PointGroup, what: string): Promise<{ first: number; last: number; params: Float32Array }> => {
      checkStopped();
      trainings++;
      model.keep(group);
      model.restart(init);
      let firstLoss = NaN;
      progress.trainingStart?.(what, epochs);
      let last = NaN;
      try {
        last = await model.fit(graphs, {
          epochs,
          seed,
          onEpoch: ({ epoch, loss: l, regularization }) => {
            if (epoch === 1) firstLoss = l;
            progress.epoch?.(epoch, l, regularization);
            return !stopped();
          },
        });
      } catch (e) {
        if (!(e instanceof NonFiniteLossError)) throw e;
      } finally {
        progress.trainingEnd?.();
      }
      checkStopped();
      return { first: firstLoss, last, params: await model.getParams() };
    };

    /** The loss over the final epoch's batches at the model's current parameters (no training). */
    const epochLoss = async (): Promise<number> => {
      let total = 0;
      for (let b = 0; b < finalOrder.length; b += ir.train.batch) {
        const batch = model.batch(finalOrder.slice(b, b + ir.train.batch).map((i) => graphs[i]!));
        const y = (await model.forward(batch))[output.name]!;
        const t = batch.features[target.name]!;
        let s = 0;
        for (let i = 0; i < y.length; i++) s += (y[i]! - t[i]!) ** 2;
        total += loss.kind === "sse" ? s : y.length ? s / y.length : 0;
      }
      return total;
    };

    // --- the fully relaxed reference ---------------------------------------------------------------------
    note(`training ${ir.model} fully relaxed (C1) on ${graphs.length} graph${graphs.length === 1 ? "" : "s"}, ${epochs} epochs, on ${gpu.adapterInfo.text}`);
    const reference = await train(pointGroup("C1"), "C1 (fully relaxed)");
    if (!Number.isFinite(reference.last)) throw new Error("the fully relaxed model diverged; a smaller learning rate usually helps");
    const threshold = fitThreshold(reference);
    note(`  fully relaxed: first epoch loss ${reference.first.toExponential(3)}, final ${reference.last.toExponential(3)}; fits iff loss <= ${threshold.toExponential(3)}`);
    await model.forward(graphs.slice(0, 1));
    const refThetas = await model.thetas();
    const layers = refThetas.map(({ layer, irreps, theta }) => ({ layer, irreps, theta: Float64Array.from(theta), kept: keptOnInput(detectSymmetry(Float64Array.from(theta), irreps), input) }));

    // --- candidates --------------------------------------------------------------------------------------
    let candidates: Candidate[];
    let order: "descending" | "ascending" = "descending";
    let modelKeeps: NamedGroup | null = null; // θ mode: what the relaxed model keeps
    const inputSubgroups = input ? safeSubgroups(input.group) : null;
    if (input && inputSubgroups) {
      candidates = inputSubgroups.filter((s) => s.order > 1).map((s) => ({ name: s.name, axis: s.axis, secondary: s.secondary, group: s.group, order: s.order }));
    } else {
      order = "ascending";
      modelKeeps = layers.reduce<NamedGroup>((acc, l) => l.kept.theta.group.continuous && l.kept.theta.group.continuousRotations === "all" ? acc : namedOf(intersect(acc.group, l.kept.theta.group)), namedOf(pointGroup("O(3)")));
      const frame = candidateFrame(modelKeeps, refThetas.map((t) => ({ theta: t.theta, irreps: t.irreps })));
      candidates = [...(modelKeeps.group.order > 1 ? [{ name: modelKeeps.name, axis: modelKeeps.axis, secondary: modelKeeps.secondary, group: modelKeeps.group, order: modelKeeps.group.order }] : []), ...groupsContaining(modelKeeps.group, frame)];
    }

    const entries = graphs.map((g) => (targetDomain === "node" ? g.numNodes : 1) * Irreps.parse(target.irreps).dim);
    const paramsOf = new Map<Candidate, Float32Array>();
    const tables = (g: PointGroup) => model.tables(g);
    const oracle = {
      bound: (c: Candidate): number | null => {
        if (!input || !targetDomain || c.group.continuous) return null;
        const distances = graphs.map((g, i) => symmetrisationDistance({ numNodes: g.numNodes, target: g.features[target.name]!, operations: perGraph[i]!.symmetry!.operations }, target.irreps, targetDomain, c.group));
        return epochLossBound(distances, entries, loss.kind, ir.train.batch, finalOrder);
      },
      witness: async (c: Candidate): Promise<number> => {
        checkStopped();
        model.keep(c.group);
        const params = Float32Array.from(reference.params);
        for (const [layer, table] of tables(c.group)) {
          const t = layers.find((l) => l.layer === layer)!;
          const p = plan.params.find((q) => q.name === `${layer}.theta`)!;
          params.set(coefficientsFromTable(table, t.irreps, t.theta), p.offset);
        }
        model.setParams(params);
        const l = await epochLoss();
        paramsOf.set(c, params);
        return l;
      },
      train: async (c: Candidate): Promise<number> => {
        const r = await train(c.group, c.name);
        paramsOf.set(c, r.params);
        return r.last;
      },
    };
    const result = await searchLargestFitting(candidates, threshold, oracle, {
      order,
      onDecision: (d, i, n) => {
        // Bound and implied verdicts are many and instant: the table sums them up.
        if (d.by === "trained" || d.by === "witness") note(`  [${i + 1}/${n}] ${groupText(d.candidate)}: ${d.fits ? "fits" : "does not fit"} (${byText(d)})`);
        progress.decision?.(d, i, n);
      },
    });

    // --- the answer, its weights, and the report ---------------------------------------------------------
    const best = result.best;
    const answer: NamedGroup = best ? namedOf(best.group) : namedOf(pointGroup("C1"));
    const answerParams = best ? paramsOf.get(best)! : reference.params;
    const weights = Float32Array.from(answerParams);
    const c1Tables = tables(pointGroup("C1"));
    for (const [layer, table] of tables(answer.group)) {
      const t = refThetas.find((x) => x.layer === layer)!;
      const p = plan.params.find((q) => q.name === `${layer}.theta`)!;
      const theta = thetaFromTable(table, t.irreps, answerParams.subarray(p.offset, p.offset + p.size));
      weights.set(coefficientsFromTable(c1Tables.get(layer)!, t.irreps, theta), p.offset);
    }
    const tensors = Object.fromEntries(plan.params.map((p) => [p.name, { dtype: "F32" as const, shape: p.shape, data: weights.slice(p.offset, p.offset + p.size) }]));
    const saved = run.save({
      model: ir.model,
      weights: encodeSafetensors(tensors, { model: ir.model, spec_sha256: ir.source.sha256, format: "regnn-weights-1", kept: answer.name }),
      relaxedSpec: c1Text !== specText ? c1Text : null,
    });

    const json: DiscoverJson = {
      group: answer.name,
      axis: round(answer.axis),
      secondary: round(answer.secondary),
      input_group: input ? input.name : null,
      candidates: result.decisions.map((d) => ({ group: d.candidate.name, axis: round(d.candidate.axis), secondary: round(d.candidate.secondary), loss: d.loss !== null && Number.isFinite(d.loss) ? d.loss : null, fits: d.fits })),
      weights: saved.weights,
    };

    // The conclusion comes last, after the evidence (as train ends with the symmetry it read).
    const lines: string[] = [];
    lines.push(`criterion: fits iff loss <= ${FIT_FACTOR} x ${reference.last.toExponential(3)} (fully relaxed, final) + ${FIT_FLOOR.toExponential(0)} x ${reference.first.toExponential(3)} (fully relaxed, first epoch) = ${threshold.toExponential(3)}`);
    lines.push(...candidateTable(result.decisions, order));
    lines.push(`${trainings} training${trainings === 1 ? "" : "s"} (the fully relaxed one included), ${result.decisions.length} candidate${result.decisions.length === 1 ? "" : "s"} decided of ${candidates.length}`);
    for (const l of layers) lines.push(`fully relaxed, layer ${l.layer}: ${l.kept.text}`);
    lines.push(...disagreement(layers, modelKeeps, input, answer, tables(answer.group), reference.last, best ? (result.decisions.find((d) => d.candidate === best)?.loss ?? null) : null));
    lines.push(`wrote ${saved.written.join(", ")}`);
    if (result.ties.length) lines.push(`as large and fitting too: ${result.ties.map(groupText).join("; ")} (the data keeps more than either: check the tolerance)`);
    if (dataGroup) {
      const agrees = isSubgroup(dataGroup.group, answer.group) && isSubgroup(answer.group, dataGroup.group);
      lines.push(`the data's own symmetry, read without a model (D(g) t_i = t_π(i)): ${groupText(dataGroup)}: ${agrees ? "agrees" : "DISAGREES with the models"}`);
    }
    lines.push(`the data keeps ${groupText(answer)}; ${input ? `the input has ${inputText(input)}` : `the input has no common point group (${inputWhy}): candidates along the relaxed model's θ`}`);
    return {
      json,
      text: lines.join("\n"),
      decisions: result.decisions,
      dataGroup,
      layers: layers.map(({ layer, kept }) => ({ layer, kept })),
      trainings,
      answer,
      input,
      inputWhy,
      order,
    };
  } finally {
    model.destroy();
  }
}

function safeSubgroups(group: PointGroup) {
  if (group.continuous) return null;
  try {
    return subgroups(group);
  } catch {
    return null;
  }
}
