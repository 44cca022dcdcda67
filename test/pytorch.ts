/**
 * Running generated PyTorch modules from tests: Debian's interpreter with torch (installed by
 * `npm run setup`), a driver that loads a module file, weights and batches, and returns outputs and
 * gradients as JSON. A missing torch is a failure naming the setup command, never a skip.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GraphBatch } from "../runtime/graph/batch.js";

export const PYTHON = "/usr/bin/python3";

let checked = false;

/** Throws (naming `npm run setup`) unless Debian's python3 imports torch. */
export function requireTorch(): void {
  if (checked) return;
  const r = spawnSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${PYTHON} cannot import torch (${(r.stderr || r.error?.message || "").trim().split("\n").pop()}); run \`npm run setup\`, which installs Debian's python3-torch`);
  checked = true;
}

export function runPython(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): SpawnSyncReturns<string> {
  requireTorch();
  return spawnSync(PYTHON, args, { encoding: "utf8", timeout: options.timeout ?? 170_000, cwd: options.cwd, env: { ...process.env, OMP_NUM_THREADS: "1", ...options.env } });
}

const DRIVER = String.raw`
import importlib.util, json, sys
import torch
torch.set_num_threads(1)
job = json.load(open(sys.argv[1]))
modules = {}
results = []
for c in job["cases"]:
    if c["path"] not in modules:
        spec = importlib.util.spec_from_file_location("m%d" % len(modules), c["path"])
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        modules[c["path"]] = mod
    mod = modules[c["path"]]
    model = mod.MODEL_CLASS()
    model.load_weights(c["weights"])
    b = c["batch"]
    feats = {}
    for name, f in b["features"].items():
        t = torch.tensor(f["data"], dtype=torch.float64).reshape(-1, f["dim"])
        t.requires_grad_(True)
        feats[name] = t
    batch = {"num_graphs": b["numGraphs"], "num_nodes": b["numNodes"], "node_graph": torch.tensor(b["nodeGraph"], dtype=torch.long),
             "edge_src": torch.tensor(b["edgeSrc"], dtype=torch.long), "edge_dst": torch.tensor(b["edgeDst"], dtype=torch.long), "features": feats}
    if b.get("edgeShifts") is not None:
        batch["edge_shift"] = torch.tensor(b["edgeShifts"], dtype=torch.float64).reshape(-1, 3)
    out = model(batch)
    j = sum((out[k].reshape(-1) * torch.tensor(w, dtype=torch.float64)).sum() for k, w in c["gradOutputs"].items())
    if c.get("withTraining"):
        j = j + model.loss(out, batch) + model.regularization("all")
    model.params.grad = None
    if torch.is_tensor(j) and j.requires_grad:
        j.backward()
    grad = model.params.grad if model.params.grad is not None else torch.zeros_like(model.params)
    results.append({
        "outputs": {k: v.detach().reshape(-1).tolist() for k, v in out.items()},
        "gradParams": grad.tolist(),
        "gradInputs": {k: (v.grad.reshape(-1).tolist() if v.grad is not None else None) for k, v in feats.items()},
    })
json.dump(results, open(sys.argv[2], "w"))
`;

export interface TorchCase {
  /** The generated <Model>.py. */
  path: string;
  /** A safetensors weights file. */
  weights: string;
  batch: GraphBatch;
  /** Dims of the batch's features, by name. */
  dims: Record<string, number>;
  /** J = Σ <output, gradOutputs[output]> (+ loss + regularisers with withTraining); its gradients come back. */
  gradOutputs: Record<string, Float64Array>;
  withTraining?: boolean;
}

export interface TorchResult {
  outputs: Record<string, number[]>;
  gradParams: number[];
  gradInputs: Record<string, number[] | null>;
}

/** Runs every case in one Python process. */
export function runTorchCases(cases: TorchCase[]): TorchResult[] {
  const dir = mkdtempSync(join(tmpdir(), "regnn-torch-"));
  const list = (a: ArrayLike<number>) => Array.from(a);
  const job = {
    cases: cases.map((c) => ({
      path: c.path,
      weights: c.weights,
      withTraining: c.withTraining ?? false,
      gradOutputs: Object.fromEntries(Object.entries(c.gradOutputs).map(([k, v]) => [k, list(v)])),
      batch: {
        numGraphs: c.batch.numGraphs, numNodes: c.batch.numNodes, nodeGraph: list(c.batch.nodeGraph), edgeSrc: list(c.batch.edgeSrc), edgeDst: list(c.batch.edgeDst),
        edgeShifts: c.batch.edgeShifts ? list(c.batch.edgeShifts) : null,
        features: Object.fromEntries(Object.entries(c.batch.features).map(([k, v]) => [k, { dim: c.dims[k]!, data: list(v) }])),
      },
    })),
  };
  writeFileSync(join(dir, "job.json"), JSON.stringify(job));
  writeFileSync(join(dir, "driver.py"), DRIVER);
  const r = runPython([join(dir, "driver.py"), join(dir, "job.json"), join(dir, "out.json")]);
  if (r.status !== 0) throw new Error(`the PyTorch driver failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as TorchResult[];
}
