/**
 * The regnn playground: edit a .regnn spec with the compiler's live diagnostics, compile it in a worker,
 * train it on WebGPU with a live loss curve, read the symmetry each relaxed layer's θ kept, and download
 * what training made. Links: `?example=<name>` or `?spec=<url>&data=<url>`, plus `&train=1`.
 */
import { basicSetup, EditorView } from "codemirror";
import { setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { createDevice, CompiledModel, type GpuContext } from "../../runtime/index.js";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { datasetFromText } from "../../compiler/data/from-text.js";
import type { ModelIR } from "../../compiler/ir/types.js";
import type { ModelPlan } from "../../runtime/model/plan.js";
import { inspectWeights } from "../../compiler/cli/inspect.js";
import { thetaPictureSvg } from "../../compiler/cli/theta-picture.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import { CompilerClient } from "./compiler-client.js";
import { datasetJson, EXAMPLES, type Example } from "./examples.js";
import { regnnHighlighting } from "./highlight.js";
import { drawLossPlot } from "./loss-plot.js";
import { lossCsv, type LossRow } from "./loss-row.js";
import "./style.css";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  example: $<HTMLSelectElement>("example"),
  compile: $<HTMLButtonElement>("compile"),
  train: $<HTMLButtonElement>("train"),
  stop: $<HTMLButtonElement>("stop"),
  resume: $<HTMLButtonElement>("resume"),
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
/** The dataset: its text and file name (from an example, a link or a dropped file). */
let dataset: { text: string; file: string } | undefined;

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
let running = false;
let stopRequested = false;
let gpu: GpuContext | undefined;

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
let latestCheck = 0;
function scheduleCheck(): void {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => void check(), 200);
}

async function check(): Promise<{ ir?: ModelIR; plan?: ModelPlan; ok: boolean }> {
  const ticket = ++latestCheck;
  const text = specText();
  const r = await compiler.compile(text, specFile, { plan: false });
  if (ticket === latestCheck) showDiagnostics(r.diagnostics, text, r.internalError);
  return { ir: r.ir, ok: !!r.ir };
}

function showDiagnostics(ds: readonly Diagnostic[], text: string, internalError?: string): void {
  const len = editor.state.doc.length;
  if (text !== specText()) return; // the spec changed meanwhile; the next check reports
  const marks: CmDiagnostic[] = ds.map((d) => {
    const from = Math.min(d.span.startOffset, len);
    return {
      from,
      to: Math.max(from, Math.min(d.span.endOffset, len)),
      severity: d.severity,
      message: `${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ""}`,
      source: "regnnc",
    };
  });
  editor.dispatch(setDiagnostics(editor.state, marks));
  ui.diagnostics.replaceChildren(
    ...ds.map((d) => {
      const row = document.createElement("div");
      row.className = `diag ${d.severity}`;
      row.dataset["line"] = String(d.span.startLine);
      row.dataset["code"] = d.code;
      row.textContent = `${specFile}:${d.span.startLine}:${d.span.startColumn} ${d.severity} ${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ""}`;
      row.addEventListener("click", () => {
        editor.dispatch({ selection: { anchor: Math.min(d.span.startOffset, len) }, scrollIntoView: true });
        editor.focus();
      });
      return row;
    }),
  );
  if (internalError) {
    const row = document.createElement("div");
    row.className = "diag error";
    row.textContent = `internal compiler error (please report): ${internalError}`;
    ui.diagnostics.append(row);
  }
  if (ds.length === 0 && !internalError) ui.diagnostics.innerHTML = `<div class="ok">✓ no problems</div>`;
  ui.diagnostics.dataset["count"] = String(ds.filter((d) => d.severity === "error").length);
}

// ---- datasets -----------------------------------------------------------------------------------------

function setDataset(text: string, file: string): void {
  dataset = { text, file };
  ui.datasetName.textContent = `${file} (${(text.length / 1024).toFixed(1)} KiB)`;
}

async function readDroppedFile(file: File): Promise<void> {
  setDataset(await file.text(), file.name);
  status(`dataset ${file.name} loaded; it is checked against the spec when training starts`);
}

ui.datasetFile.addEventListener("change", () => {
  const f = ui.datasetFile.files?.[0];
  if (f) void readDroppedFile(f);
});
for (const type of ["dragenter", "dragover"]) {
  ui.dataset.addEventListener(type, (e) => {
    e.preventDefault();
    ui.dataset.classList.add("over");
  });
}
ui.dataset.addEventListener("dragleave", () => ui.dataset.classList.remove("over"));
ui.dataset.addEventListener("drop", (e) => {
  e.preventDefault();
  ui.dataset.classList.remove("over");
  const f = (e as DragEvent).dataTransfer?.files?.[0];
  if (f) void readDroppedFile(f);
});
// A file dropped anywhere else would make the browser navigate away from the page.
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => e.preventDefault());

// ---- training -----------------------------------------------------------------------------------------

function status(text: string, kind: "info" | "error" = "info"): void {
  ui.status.textContent = text;
  ui.status.className = kind;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function device(): Promise<GpuContext> {
  if (!gpu) {
    gpu = await createDevice();
    ui.device.textContent = `WebGPU: ${gpu.adapterInfo.text}`;
  }
  return gpu;
}

function setRunning(on: boolean): void {
  running = on;
  ui.train.disabled = on;
  ui.compile.disabled = on;
  ui.stop.disabled = !on;
  ui.resume.disabled = on || !session || session.done >= session.epochs;
  for (const b of [ui.dlWeights, ui.dlCsv]) b.disabled = on || !session;
}

/** Compiles the spec with its plan; shows the diagnostics and returns undefined when it has errors. */
async function compileWithPlan(): Promise<{ ir: ModelIR; plan: ModelPlan } | undefined> {
  const text = specText();
  status("compiling…");
  const r = await compiler.compile(text, specFile, { plan: true });
  showDiagnostics(r.diagnostics, text, r.internalError);
  if (!r.ir || !r.plan) {
    status(r.internalError ? "internal compiler error (see below the editor)" : "the spec has errors (see below the editor)", "error");
    return undefined;
  }
  ui.dlIr.disabled = false;
  lastIr = r.ir;
  status(`compiled ${r.ir.model}: ${r.plan.kernels.length} WGSL kernels, ${r.ir.paramCount} parameters (${r.millis.toFixed(0)} ms in the worker)`);
  return { ir: r.ir, plan: r.plan };
}
let lastIr: ModelIR | undefined;

/** Compiles, creates the model on the device (its pipelines in parallel, reusing cached ones) and reads the dataset. */
async function prepare(): Promise<Session | undefined> {
  const compiled = await compileWithPlan();
  if (!compiled) return undefined;
  const { ir, plan } = compiled;
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
    status(e instanceof Error ? e.message : String(e), "error");
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
    status(`WebGPU is not available here: ${e instanceof Error ? e.message : String(e)}`, "error");
    return undefined;
  }
  session?.model.destroy();
  session = undefined;
  const t0 = performance.now();
  let lastReport = { done: 0, total: plan.kernels.length, reused: 0 };
  const model = await CompiledModel.fromPlan(ctx.device, plan, {
    seed: ir.train.seed,
    onProgress: (p) => {
      lastReport = p;
      ui.progress.max = Math.max(1, p.total);
      ui.progress.value = p.done;
      status(`creating ${p.total} compute pipelines: ${p.done} ready${p.reused ? ` (${p.reused} reused)` : ""}`);
    },
  });
  const startMs = performance.now() - t0;
  ui.timing.textContent = `start-up ${seconds(startMs)} (${lastReport.total} pipelines, ${lastReport.reused} reused from earlier models)`;
  ui.timing.dataset["startupMs"] = startMs.toFixed(0);
  return { model, ir, graphs, rows: [], epochs: ir.train.epochs, done: 0, trainMillis: 0 };
}

async function runEpochs(s: Session): Promise<void> {
  setRunning(true);
  stopRequested = false;
  ui.progress.max = s.epochs;
  let drawn = 0;
  const draw = () => {
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
        const eta = ((s.epochs - epoch) * s.trainMillis) / Math.max(1, epoch);
        status(`epoch ${epoch}/${s.epochs}  loss ${loss.toExponential(3)}  ·  ${seconds(s.trainMillis)}, about ${seconds(eta)} left`);
        if (drawn !== s.rows.length) requestAnimationFrame(draw);
        return !stopRequested;
      },
    });
    draw();
    const rate = s.trainMillis / Math.max(1, s.done);
    ui.timing.textContent = `${ui.timing.textContent?.replace(/ · training.*$/, "")} · training ${seconds(s.trainMillis)} for ${s.done} epochs (${rate.toFixed(1)} ms/epoch)`;
    status(s.done >= s.epochs ? `trained ${s.ir.model}: ${s.done} epochs, final loss ${s.rows.at(-1)?.loss.toExponential(3)}` : `stopped at epoch ${s.done}/${s.epochs}: Resume continues exactly where it stopped`);
    await showSymmetry(s);
  } catch (e) {
    status(`training failed: ${e instanceof Error ? e.message : String(e)}`, "error");
  } finally {
    setRunning(false);
  }
}

async function showSymmetry(s: Session): Promise<void> {
  const { layers } = inspectWeights(s.ir, await s.model.save(), `${s.ir.model} weights`);
  if (layers.length === 0) {
    ui.symmetry.textContent = `${s.ir.model} has no relaxed layer`;
    ui.theta.replaceChildren();
    return;
  }
  const vec = (v: number[] | undefined) => (v ? `(${v.map((x) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(3)).join(", ")})` : "");
  ui.symmetry.replaceChildren(
    ...layers.map((l) => {
      const row = document.createElement("div");
      row.className = "layer-symmetry";
      row.dataset["layer"] = l.layer;
      row.dataset["group"] = l.detected.group;
      const axes = [l.detected.axis && `axis ${vec(l.detected.axis)}`, l.detected.secondary && `secondary ${vec(l.detected.secondary)}`].filter(Boolean).join(", ");
      row.textContent = `layer ${l.layer}: keeps ${l.detected.group}${axes ? `, ${axes}` : ""}`;
      return row;
    }),
  );
  // The same picture `regnnc inspect --picture` draws (its SVG, before rasterising).
  ui.theta.replaceChildren(
    ...layers.map((l) => {
      const img = document.createElement("img");
      img.alt = `θ of layer ${l.layer}`;
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(thetaPictureSvg(`layer ${l.layer}`, l.theta, l.irreps, l.detected))}`;
      return img;
    }),
  );
}

async function train(): Promise<void> {
  if (running) return;
  setRunning(true);
  ui.symmetry.innerHTML = `<span class="muted">after training</span>`;
  ui.theta.replaceChildren();
  let s: Session | undefined;
  try {
    s = await prepare();
  } catch (e) {
    status(`could not create the model: ${e instanceof Error ? e.message : String(e)}`, "error");
  }
  setRunning(false);
  if (!s) return;
  session = s;
  drawLossPlot(ui.plot, [], s.epochs);
  await runEpochs(s);
}

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

ui.train.addEventListener("click", () => void train());
ui.compile.addEventListener("click", () => void compileWithPlan());
ui.stop.addEventListener("click", () => {
  stopRequested = true;
});
ui.resume.addEventListener("click", () => {
  if (session && !running) void runEpochs(session);
});
ui.dlWeights.addEventListener("click", async () => {
  if (session) download(`${session.ir.model}.safetensors`, (await session.model.save()) as Uint8Array<ArrayBuffer>, "application/octet-stream");
});
ui.dlCsv.addEventListener("click", () => session && download("loss.csv", lossCsv(session.rows), "text/csv"));
ui.dlIr.addEventListener("click", () => lastIr && download(`${lastIr.model}.ir.json`, `${JSON.stringify(lastIr, null, 2)}\n`, "application/json"));

// ---- examples and links -------------------------------------------------------------------------------

for (const ex of EXAMPLES) {
  const option = document.createElement("option");
  option.value = ex.name;
  option.textContent = ex.title;
  ui.example.append(option);
}

function loadExample(ex: Example): void {
  setSpec(ex.spec, `${ex.name}.regnn`);
  if (ex.data) setDataset(datasetJson(ex.data()), `${ex.name}.json`);
  else {
    dataset = undefined;
    ui.datasetName.textContent = "(none: this example has no training data)";
  }
  const url = new URL(location.href);
  url.search = `?example=${encodeURIComponent(ex.name)}`;
  history.replaceState(null, "", url);
}

ui.example.addEventListener("change", () => {
  const ex = EXAMPLES.find((e) => e.name === ui.example.value);
  if (ex) loadExample(ex);
});

async function fetchText(url: string, what: string): Promise<string> {
  let r: Response;
  try {
    r = await fetch(url);
  } catch (e) {
    throw new Error(`cannot fetch the ${what} ${url} (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!r.ok) throw new Error(`cannot fetch the ${what} ${url}: HTTP ${r.status}`);
  return r.text();
}

async function start(): Promise<void> {
  drawLossPlot(ui.plot, [], 1);
  const params = new URLSearchParams(location.search);
  const specUrl = params.get("spec"), dataUrl = params.get("data");
  try {
    if (specUrl) {
      const name = new URL(specUrl, location.href).pathname.split("/").pop() || "spec.regnn";
      setSpec(await fetchText(specUrl, "spec"), name);
      ui.example.value = "";
    } else {
      const wanted = params.get("example") ?? "cube_to_prism";
      const ex = EXAMPLES.find((e) => e.name === wanted);
      if (!ex) throw new Error(`no example '${wanted}'; the examples are ${EXAMPLES.map((e) => e.name).join(", ")}`);
      ui.example.value = ex.name;
      loadExample(ex);
      if (params.has("train")) history.replaceState(null, "", `${location.pathname}?example=${encodeURIComponent(ex.name)}&train=1`);
    }
    if (dataUrl) {
      const name = new URL(dataUrl, location.href).pathname.split("/").pop() || "data.json";
      setDataset(await fetchText(dataUrl, "dataset"), name);
    }
  } catch (e) {
    status(e instanceof Error ? e.message : String(e), "error");
    return;
  }
  await check();
  document.body.dataset["ready"] = "1";
  if (params.get("train") === "1") await train();
}

void start();
