// Stopping the search of `regnnc discover` (run.ts) mid-training, as the playground's Stop does: it throws
// DiscoverStoppedError between epochs, saves nothing, and leaves the caller's device usable for the next run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu } from "../../test/gpu.js";
import { datasetFromText } from "../data/from-text.js";
import { DiscoverStoppedError, runDiscover, type DiscoverRun } from "./run.js";

const SPEC = "model P {\n  symmetry relax to C1 lmax 1\n  input x: 0e + 1o\n  target a: 1o\n  layer y = relaxed_node(x) -> 1o\n  output o = y\n  train { loss: sse(o, a)  epochs: 200 }\n}\n";
// Three graphs whose inputs have different point groups: candidates along θ, each one trained.
const DATA = JSON.stringify({
  graphs: [
    { nodes: 1, inputs: { x: [1, 0, 0, 1] }, targets: { a: [0, 0, 2] } },
    { nodes: 1, inputs: { x: [1, 1, 0, 0] }, targets: { a: [2, 0, 0] } },
    { nodes: 1, inputs: { x: [1, 0.3, 0.4, 0.5] }, targets: { a: [0.6, 0.8, 1] } },
  ],
});

beforeAll(gpuContext);
afterAll(releaseGpu);

describe("runDiscover on the device", () => {
  it("stops between epochs when its signal aborts, saving nothing; the device then runs a whole search", async () => {
    const epochs: number[] = [];
    const saved: string[] = [];
    const abort = new AbortController();
    const run: DiscoverRun = {
      graphs: (ir) => datasetFromText(DATA, "d.json", ir),
      dataName: "d.json",
      device: async () => gpu(),
      save: (f) => (saved.push(f.model), { weights: "P.safetensors", written: ["P.safetensors"] }),
      signal: abort.signal,
      progress: {
        epoch: (e) => {
          epochs.push(e);
          if (e === 5) abort.abort();
        },
      },
    };
    await expect(runDiscover(SPEC, "p.regnn", run, () => {})).rejects.toBeInstanceOf(DiscoverStoppedError);
    expect(epochs).toEqual([1, 2, 3, 4, 5]);
    expect(saved).toEqual([]);

    const notes: string[] = [];
    const { signal: _unused, ...whole } = run;
    epochs.length = 0;
    const r = await runDiscover(SPEC, "p.regnn", { ...whole, progress: { epoch: (e) => void epochs.push(e) } }, (l) => notes.push(l));
    expect(saved).toEqual(["P"]);
    expect(epochs.filter((e) => e === 200).length).toBe(r.trainings);
    expect(r.json.weights).toBe("P.safetensors");
    expect(r.text.split("\n").at(-1)).toMatch(/^the data keeps \S+.*; the input has no common point group/);
    expect(notes[0]).toMatch(/^training P fully relaxed \(C1\) on 3 graphs, 200 epochs, on /);
  }, 120_000);
});
