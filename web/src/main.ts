/**
 * The regnn playground: edit a .regnn spec with the compiler's live diagnostics, compile it in a worker,
 * train it on WebGPU with a live loss curve, read the symmetry each relaxed layer's θ kept, discover the
 * largest group the data keeps (the search of `regnnc discover`), and download what training made. Links:
 * see links.ts.
 */
import { basicSetup, EditorView } from "codemirror";
import { EditorState } from "@codemirror/state";
import { createDevice, CompiledModel, planOptionsFor, type GpuContext } from "../../runtime/index.js";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { datasetFromText } from "../../compiler/data/from-text.js";
import type { ModelIR } from "../../compiler/ir/types.js";
import type { ModelPlan } from "../../runtime/model/plan.js";
import { CompilerClient } from "./compiler-client.js";
import { onDatasetFile } from "./dataset-input.js";
import { showDiagnostics } from "./diagnostics-view.js";
import { download } from "./download.js";
import { datasetJson, EXAMPLES, type Example } from "./examples.js";
import { regnnHighlighting } from "./highlight.js";
import { exampleLink, fileNameOf, parseLink } from "./links.js";
import { drawLossPlot } from "./loss-plot.js";
import { lossCsv, type LossRow } from "./loss-row.js";
import { clearSymmetry, showSymmetry } from "./symmetry-view.js";
import { DiscoverStoppedError, runDiscover, type DiscoverFiles } from "../../compiler/discover/run.js";
import type { Decision } from "../../compiler/discover/search.js";
import { groupText } from "../../compiler/discover/report.js";
import { clearDiscover, showAnswer, showCandidates } from "./discover-view.js";
import "./style.css";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  example: $<HTMLSelectElement>("example"),
  compile: $<HTMLButtonElement>("compile"),
  train: $<HTMLButtonElement>("train"),
  stop: $<HTMLButtonElement>("stop"),
  resume: $<HTMLButtonElement>("resume"),
  discover: $<HTMLButtonElement>("discover"),
  discoverResult: $("discover-result"),
  discoverCandidates: $<HTMLTableElement>("discover-candidates"),
  discoverLog: $("discover-log"),
  discoverReport: $("discover-report"),
  dlDiscovered: $<HTMLButtonElement>("dl-discovered"),
  dlRelaxed: $<HTMLButtonElement>("dl-relaxed"),
  device: $("device"),
  diagnostics: $("diagnostics"),
  dataset: $("dataset"),
  datasetName: $("dataset-name"),
  datasetFile: $<HTMLInputElement>("dataset-file"),
  status: $("status"),
  progress: $<HTMLProgressElement>("progress"),
  timing: $("timing"),
  plot: $<HTMLCanvasElement>("loss-plot"),
  symmetry: $("symmetry"),
  theta: $("theta"),
  dlWeights: $<HTMLButtonElement>("dl-weights"),
  dlCsv: $<HTMLButtonElement>("dl-csv"),
  dlIr: $<HTMLButtonElement>("dl-ir"),
};

const compiler = new CompilerClient();
let specFile = "spec.regnn";
/** The dataset: its text and file name (from an example, a link or a file). */
let dataset: { text: string; file: string } | undefined;

/** A model on the device with its training run so far. */
interface Session {
  model: CompiledModel;
  ir: ModelIR;
  graphs: GraphInput[];
  rows: LossRow[];
  epochs: number;
  done: number;
  trainMillis: number;
}
let session: Session | undefined;
let lastIr: ModelIR | undefined;
let running = false;
let stopRequested = false;
let gpu: GpuContext | undefined;
/** Aborts the discover run in progress (Stop). */
let discoverAbort: AbortController | undefined;
/** What the last discover run made, for its downloads. */
let discovered: DiscoverFiles | undefined;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function status(text: string, kind: "info" | "error" = "info"): void {
  ui.status.textContent = text;
  ui.status.className = kind;
}

// ---- editor and live diagnostics ----------------------------------------------------------------------

const editor = new EditorView({
  parent: $("editor"),
  state: EditorState.create({
    doc: "",
    extensions: [basicSetup, EditorView.lineWrapping, regnnHighlighting, EditorView.updateListener.of((u) => u.docChanged && scheduleCheck())],
  }),
});
const specText = () => editor.state.doc.toString();

function setSpec(text: string, file: string): void {
  specFile = file;
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
}

let checkTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleCheck(): void {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => void compile({ plan: false }), 200);
}

/** Compiles the editor's text in the worker and shows its diagnostics (unless the text changed meanwhile). */
async function compile(options: { plan: boolean; planOptions?: { shape: "cpu" | "gpu"; maxBindingBytes: number } }): Promise<{ ir?: ModelIR; plan?: ModelPlan; millis: number; internalError?: string }> {
  const text = specText();
  const r = await compiler.compile(text, specFile, options);
  if (text === specText()) showDiagnostics(editor, ui.diagnostics, specFile, r.diagnostics, r.internalError);
  if (r.ir) {
    lastIr = r.ir;
    ui.dlIr.disabled = false;
  }
  return r;
}

// ---- datasets -----------------------------------------------------------------------------------------

function setDataset(text: string, file: string): void {
  dataset = { text, file };
  ui.datasetName.textContent = `${file} (${(text.length / 1024).toFixed(1)} KiB)`;
}

onDatasetFile(ui.dataset, ui.datasetFile, (file) => {
  void file.text().then((text) => {
    setDataset(text, file.name);
    status(`dataset ${file.name} loaded; it is checked against the spec when training starts`);
  });
});

// ---- training -----------------------------------------------------------------------------------------

async function device(): Promise<GpuContext> {
  if (!gpu) {
    const made = await createDevice();
    gpu = made;
    ui.device.textContent = `WebGPU: ${made.adapterInfo.text}`;
    // A lost device (driver reset, tab in the background too long) is replaced at the next Train.
    void made.device.lost.then(() => {
      if (gpu === made) gpu = undefined;
    });
  }
  return gpu;
}

function setRunning(on: boolean): void {
  running = on;
  ui.train.disabled = on;
  ui.compile.disabled = on;
  ui.discover.disabled = on;
  ui.example.disabled = on;
  ui.stop.disabled = !on;
  ui.resume.disabled = on || !session || session.done >= session.epochs;
  for (const b of [ui.dlWeights, ui.dlCsv]) b.disabled = on || !session;
}

/** Compiles with the plan, reads the dataset, and creates the model on the device (pipelines in parallel, cached ones reused). */
async function prepare(): Promise<Session | undefined> {
  status("compiling…");
  const r = await compile({ plan: false });
  if (!r.ir) {
    status(r.internalError ? "internal compiler error (see below the editor)" : "the spec has errors (see below the editor)", "error");
    return undefined;
  }
  const { ir } = r;
  if (!ir.train.loss) {
    status(`${ir.model} declares no loss (train { loss: sse(output, target) }), so it cannot train`, "error");
    return undefined;
  }
  if (!dataset) {
    status("no dataset: drop a JSON or extended XYZ file on the dataset panel", "error");
    return undefined;
  }
  let graphs: GraphInput[];
  try {
    graphs = datasetFromText(dataset.text, dataset.file, ir);
  } catch (e) {
    status(messageOf(e), "error");
    return undefined;
  }
  if (graphs.length === 0) {
    status(`${dataset.file}: no graphs to train on`, "error");
    return undefined;
  }
  let ctx: GpuContext;
  try {
    ctx = await device();
  } catch (e) {
    status(`WebGPU is not available here: ${messageOf(e)}`, "error");
    return undefined;
  }
  // Kernels shaped for this device (on a real GPU the reductions become block-sum trees; the same parameters).
  const planned = await compile({ plan: true, planOptions: planOptionsFor(ctx) });
  if (!planned.plan) {
    status(planned.internalError ? "internal compiler error (see below the editor)" : "the spec has errors (see below the editor)", "error");
    return undefined;
  }
  const plan = planned.plan;
  session?.model.destroy();
  session = undefined;
  const t0 = performance.now();
  let report = { done: 0, total: plan.kernels.length, reused: 0 };
  const model = await CompiledModel.fromPlan(ctx.device, plan, {
    seed: ir.train.seed,
    onProgress: (p) => {
      report = p;
      ui.progress.max = Math.max(1, p.total);
      ui.progress.value = p.done;
      status(`creating ${p.total} compute pipelines: ${p.done} ready${p.reused ? ` (${p.reused} reused)` : ""}`);
    },
  });
  const startMs = performance.now() - t0;
  ui.timing.textContent = `start-up ${seconds(startMs)} (${report.total} pipelines, ${report.reused} reused from earlier models)`;
  ui.timing.dataset["startupMs"] = startMs.toFixed(0);
  return { model, ir, graphs, rows: [], epochs: ir.train.epochs, done: 0, trainMillis: 0 };
}

/** Trains from where the session stopped until its last epoch or Stop. */
async function runEpochs(s: Session): Promise<void> {
  setRunning(true);
  ui.progress.max = s.epochs;
  let drawn = -1;
  const draw = () => {
    if (drawn === s.rows.length) return;
    drawLossPlot(ui.plot, s.rows, s.epochs);
    drawn = s.rows.length;
  };
  const t0 = performance.now(), before = s.trainMillis;
  try {
    await s.model.fit(s.graphs, {
      startEpoch: s.done,
      epochs: s.epochs,
      onEpoch: ({ epoch, loss, regularization }) => {
        s.rows.push({ epoch, loss, regularization });
        s.done = epoch;
        s.trainMillis = before + performance.now() - t0;
        ui.progress.value = epoch;
        const left = ((s.epochs - epoch) * s.trainMillis) / Math.max(1, epoch);
        status(`epoch ${epoch}/${s.epochs}  loss ${loss.toExponential(3)}  ·  ${seconds(s.trainMillis)}, about ${seconds(left)} left`);
        requestAnimationFrame(draw);
        return !stopRequested;
      },
    });
    draw();
    const perEpoch = s.trainMillis / Math.max(1, s.done);
    ui.timing.textContent = `${(ui.timing.textContent ?? "").replace(/ · training.*$/, "")} · training ${seconds(s.trainMillis)} for ${s.done} epochs (${perEpoch.toFixed(1)} ms/epoch)`;
    status(
      s.done >= s.epochs
        ? `trained ${s.ir.model}: ${s.done} epochs, final loss ${s.rows.at(-1)?.loss.toExponential(3)}`
        : `stopped at epoch ${s.done}/${s.epochs}: Resume continues exactly where it stopped`,
    );
    showSymmetry(s.ir, await s.model.save(), s.graphs, ui.symmetry, ui.theta);
  } catch (e) {
    status(`training failed: ${messageOf(e)}`, "error");
  } finally {
    setRunning(false);
  }
}

async function train(): Promise<void> {
  if (running) return;
  // A Stop pressed while the pipelines are still being created stops training after its first epoch.
  stopRequested = false;
  setRunning(true);
  clearSymmetry(ui.symmetry, ui.theta);
  let s: Session | undefined;
  try {
    s = await prepare();
  } catch (e) {
    status(`could not create the model: ${messageOf(e)}`, "error");
  }
  setRunning(false);
  if (!s) return;
  session = s;
  drawLossPlot(ui.plot, [], s.epochs);
  await runEpochs(s);
}

ui.train.addEventListener("click", () => void train());
ui.compile.addEventListener("click", async () => {
  status("compiling…");
  const r = await compile({ plan: true });
  if (r.ir && r.plan) status(`compiled ${r.ir.model}: ${r.plan.kernels.length} WGSL kernels, ${r.ir.paramCount} parameters (${r.millis.toFixed(0)} ms in the worker)`);
  else status(r.internalError ? "internal compiler error (see below the editor)" : "the spec has errors (see below the editor)", "error");
});
ui.stop.addEventListener("click", () => {
  stopRequested = true;
  discoverAbort?.abort();
});
ui.resume.addEventListener("click", () => {
  if (!session || running) return;
  stopRequested = false;
  void runEpochs(session);
});
ui.dlWeights.addEventListener("click", async () => {
  if (session) download(`${session.ir.model}.safetensors`, (await session.model.save()) as Uint8Array<ArrayBuffer>, "application/octet-stream");
});
ui.dlCsv.addEventListener("click", () => session && download("loss.csv", lossCsv(session.rows), "text/csv"));
ui.dlIr.addEventListener("click", () => lastIr && download(`${lastIr.model}.ir.json`, `${JSON.stringify(lastIr, null, 2)}\n`, "application/json"));

// ---- discover -----------------------------------------------------------------------------------------

/** Runs `regnnc discover`'s search (compiler/discover/run.ts) on the editor's spec and the dataset, on this page's device. */
async function discover(): Promise<void> {
  if (running) return;
  stopRequested = false;
  const abort = new AbortController();
  discoverAbort = abort;
  setRunning(true);
  clearDiscover(ui.discoverResult, ui.discoverCandidates, ui.discoverLog, "searching…");
  ui.discoverReport.textContent = "";
  discovered = undefined;
  ui.dlDiscovered.disabled = true;
  ui.dlRelaxed.hidden = true;
  const log = (line: string) => {
    ui.discoverLog.textContent += `${line}\n`;
    ui.discoverLog.scrollTop = ui.discoverLog.scrollHeight;
  };
  const decisions: Decision[] = [];
  let what = "", decided = "";
  // The loss curve of the training in progress (each candidate trained starts a new one).
  let rows: LossRow[] = [], epochs = 1, drawn = -1;
  const draw = () => {
    if (drawn === rows.length) return;
    drawLossPlot(ui.plot, rows, epochs);
    drawn = rows.length;
  };
  const t0 = performance.now();
  try {
    status("discover: compiling…");
    const r = await compile({ plan: false });
    if (!r.ir) {
      status(r.internalError ? "internal compiler error (see below the editor)" : "the spec has errors (see below the editor)", "error");
      return clearDiscover(ui.discoverResult, ui.discoverCandidates, ui.discoverLog, "press Discover");
    }
    const data = dataset;
    if (!data) {
      status("no dataset: drop a JSON or extended XYZ file on the dataset panel", "error");
      return clearDiscover(ui.discoverResult, ui.discoverCandidates, ui.discoverLog, "press Discover");
    }
    const result = await runDiscover(
      specText(),
      specFile,
      {
        graphs: (ir) => datasetFromText(data.text, data.file, ir),
        dataName: data.file,
        device,
        signal: abort.signal,
        progress: {
          pipelines: (p) => {
            ui.progress.max = Math.max(1, p.total);
            ui.progress.value = p.done;
            status(`discover: creating ${p.total} compute pipelines: ${p.done} ready${p.reused ? ` (${p.reused} reused)` : ""}`);
          },
          trainingStart: (name, n) => {
            what = name;
            rows = [];
            epochs = n;
            ui.progress.max = n;
            ui.progress.value = 0;
          },
          epoch: (epoch, loss, regularization) => {
            rows.push({ epoch, loss, regularization });
            requestAnimationFrame(draw);
            ui.progress.value = epoch;
            status(`discover: training ${what}${decided}: epoch ${epoch}/${ui.progress.max}  loss ${loss.toExponential(3)}  ·  ${seconds(performance.now() - t0)}`);
          },
          decision: (d, i, n) => {
            decisions.push(d);
            decided = ` (${decisions.length} candidate${decisions.length === 1 ? "" : "s"} decided, ${i + 1} of ${n} in order)`;
            showCandidates(ui.discoverCandidates, decisions);
            if (d.by !== "trained") status(`discover: ${groupText(d.candidate)}: ${d.fits ? "fits" : "does not fit"}${decided}`);
          },
        },
        save: (files) => {
          discovered = files;
          const name = `${files.model}.safetensors`;
          const spec = files.relaxedSpec !== null ? ` and ${files.model}.relaxed.regnn` : "";
          return { weights: name, written: [`${name}${spec} (kept in the page: the Discover panel's download buttons)`] };
        },
      },
      log,
    );
    draw();
    showCandidates(ui.discoverCandidates, result.decisions);
    showAnswer(ui.discoverResult, result);
    ui.discoverReport.textContent = result.text;
    ui.dlDiscovered.disabled = false;
    // Set by save() inside the run (TypeScript cannot see the callback assign it).
    ui.dlRelaxed.hidden = (discovered as DiscoverFiles | undefined)?.relaxedSpec == null;
    status(`discover: ${result.json.group}, ${result.trainings} training${result.trainings === 1 ? "" : "s"}, ${result.decisions.length} candidates decided, ${seconds(performance.now() - t0)}`);
  } catch (e) {
    if (e instanceof DiscoverStoppedError) {
      status(`discover stopped after ${seconds(performance.now() - t0)}; press Discover to start again`);
      ui.discoverResult.textContent = "stopped before it decided";
    } else {
      status(`discover failed: ${messageOf(e)}`, "error");
      ui.discoverResult.textContent = "";
    }
  } finally {
    if (discoverAbort === abort) discoverAbort = undefined;
    setRunning(false);
  }
}

ui.discover.addEventListener("click", () => void discover());
ui.dlDiscovered.addEventListener("click", () => discovered && download(`${discovered.model}.safetensors`, discovered.weights as Uint8Array<ArrayBuffer>, "application/octet-stream"));
ui.dlRelaxed.addEventListener("click", () => discovered?.relaxedSpec && download(`${discovered.model}.relaxed.regnn`, discovered.relaxedSpec, "text/plain"));

// ---- examples and links -------------------------------------------------------------------------------

for (const ex of EXAMPLES) {
  const option = document.createElement("option");
  option.value = ex.name;
  option.textContent = ex.title;
  ui.example.append(option);
}

function loadExample(ex: Example): void {
  ui.example.value = ex.name;
  setSpec(ex.spec, `${ex.name}.regnn`);
  if (ex.data) setDataset(datasetJson(ex.data()), `${ex.name}.json`);
  else {
    dataset = undefined;
    ui.datasetName.textContent = "(none: this example has no training data)";
  }
}

ui.example.addEventListener("change", () => {
  const ex = EXAMPLES.find((e) => e.name === ui.example.value);
  if (!ex) return;
  loadExample(ex);
  history.replaceState(null, "", exampleLink(ex.name));
});

async function fetchText(url: string, what: string): Promise<string> {
  let r: Response;
  try {
    r = await fetch(url);
  } catch (e) {
    throw new Error(`cannot fetch the ${what} ${url} (${messageOf(e)})`);
  }
  if (!r.ok) throw new Error(`cannot fetch the ${what} ${url}: HTTP ${r.status}`);
  return r.text();
}

async function start(): Promise<void> {
  drawLossPlot(ui.plot, [], 1);
  const link = parseLink(location.search);
  try {
    if (link.kind === "url") {
      setSpec(await fetchText(link.spec, "spec"), fileNameOf(link.spec, location.href, "spec.regnn"));
      ui.example.value = "";
    } else {
      const wanted = link.kind === "example" ? link.name : link.example;
      const ex = EXAMPLES.find((e) => e.name === wanted);
      if (!ex) throw new Error(`no example '${wanted}'; the examples are ${EXAMPLES.map((e) => e.name).join(", ")}`);
      loadExample(ex);
    }
    if (link.kind !== "example" && link.data !== undefined) setDataset(await fetchText(link.data, "dataset"), fileNameOf(link.data, location.href, "data.json"));
  } catch (e) {
    status(messageOf(e), "error");
    document.body.dataset["ready"] = "1";
    return;
  }
  await compile({ plan: false });
  document.body.dataset["ready"] = "1";
  if (link.train) await train();
  if (link.discover) await discover();
}

void start();
