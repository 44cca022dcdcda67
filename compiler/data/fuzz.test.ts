// Datasets on any input: a mutated JSON or extended XYZ file either loads, and then batches for the model,
// or fails with a DatasetError that names the file; never a raw JavaScript message.
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { batchGraphs } from "../../runtime/graph/batching.js";
import { planModel } from "../codegen/plan.js";
import { compileOrThrow } from "../../test/test-models.js";
import { DatasetError, parseDataset } from "./dataset.js";
import { readDataset } from "./read.js";

const ir = compileOrThrow(`model Mol {
  graph radius 2.0
  input z: 0e
  input pos: positions
  target forces: 1o
  target energy: 0e per graph
  edge sh = spherical_harmonics(lmax: 1)
  edge emb = bessel(count: 4, cutoff: 2.0)
  layer h = conv(z, sh, emb) -> 0e + 1o
  layer f = linear(h) -> 1o
  output y = f
  train { loss: sse(y, forces) }
}`, "mol.regnn");
const { positions, graph, fields } = planModel(ir).batch;

const JSON_TEXT = JSON.stringify({
  format: "regnn-dataset-1",
  graphs: [
    { nodes: 3, inputs: { z: [8, 1, 1], pos: [[0, 0, 0.1], [0, 0.76, -0.5], [0, -0.76, -0.5]] }, targets: { forces: [0, 0, -0.5, 0, 0.1, 0.2, 0, -0.1, 0.2], energy: [-14.2] } },
    { nodes: 2, inputs: { z: [1, 1], pos: [0, 0, 0, 0, 0, 0.74] }, targets: { forces: [[0, 0, 1], [0, 0, -1]], energy: [-1.5] }, cell: [[3, 0, 0], [0, 3, 0], [0, 0, 3]], pbc: [true, true, false] },
  ],
}, null, 1);

const XYZ_TEXT = `3
Properties=species:S:1:pos:R:3:z:I:1:forces:R:3 energy=-14.2 pbc="F F F"
O  0.0  0.0  0.1   8   0.0  0.0 -0.5
H  0.0  0.76 -0.5  1   0.0  0.1  0.2
H  0.0 -0.76 -0.5  1   0.0 -0.1  0.2
2
Properties=species:S:1:pos:R:3:z:I:1:forces:R:3 energy=-1.5e0 Lattice="3 0 0 0 3 0 0 0 3" pbc="T T F"
H 0 0 0    1  0 0 1
H 0 0 0.74 1  0 0 -1
`;

// Words that once reached raw JavaScript paths: prototype names, out-of-range numbers, wrong shapes.
const HOSTILE = ["1e400", "-1e400", "1e39", "-0", "0", "null", "true", "[]", "{}", "[[]]", '"__proto__"', '"constructor"', '"toString"', "__proto__", "constructor", "nan", "inf", "1e-400", "4294967296", "-1", "0.5", ",", ":", "]", "}", '"', "\u0000", "\u2028"];

const mutation = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 6 }),
  text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 4 }), fc.constant("")),
});

/** Replaces `cut` characters at a position with `text` (both within the text's current length). */
function mutate(text: string, edits: { at: number; cut: number; text: string }[]): string {
  let out = text;
  for (const e of edits) {
    const i = e.at % (out.length + 1);
    out = out.slice(0, i) + e.text + out.slice(i + e.cut);
  }
  return out;
}

function wellBehaved(read: () => ReturnType<typeof parseDataset>, file: string): void {
  let graphs;
  try {
    graphs = read();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(DatasetError);
    const message = (e as Error).message;
    expect(message.startsWith(file), message).toBe(true);
    expect(message).not.toMatch(/is not a function|Cannot read properties|is not iterable|undefined|\[object Object\]|Maximum call stack/);
    return;
  }
  // What the reader accepts, the model can batch: the checks of batchGraphs never find more.
  expect(() => batchGraphs(graphs, { positions: positions!, graph, fields })).not.toThrow();
}

const quiet = { onWarning: () => {} };
const dir = mkdtempSync(join(tmpdir(), "regnn-data-fuzz-"));
const seed = Number(process.env.REGNN_FUZZ_SEED ?? 20261204);

describe("dataset fuzz", () => {
  it("JSON: mutated text either loads and batches or is a DatasetError naming the file", () => {
    wellBehaved(() => parseDataset(JSON_TEXT, "data.json", ir, quiet), "data.json");
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (edits) => wellBehaved(() => parseDataset(mutate(JSON_TEXT, edits), "data.json", ir, quiet), "data.json")),
      { numRuns: 1500, seed },
    );
  });

  it("JSON: any value at any place of a valid dataset", () => {
    const base = JSON.parse(JSON_TEXT) as unknown;
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v && typeof v === "object") for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, k]);
    };
    walk(base, []);
    fc.assert(
      fc.property(fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(1e39, -1e39, 0, 3.5, [], {}, [[1, 2], [3]])), fc.constantFrom("set", "rename"), (p, value, how) => {
        const data = structuredClone(base) as Record<string, unknown>;
        const path = paths[p % paths.length]!;
        if (path.length === 0) return;
        let parent = data as Record<string | number, unknown>;
        for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
        const key = path[path.length - 1]!;
        if (how === "rename" && !Array.isArray(parent)) {
          const v = parent[key];
          delete parent[key];
          Object.defineProperty(parent, typeof value === "string" ? value : "__proto__", { value: v, enumerable: true, writable: true, configurable: true });
        } else parent[key] = value;
        wellBehaved(() => parseDataset(JSON.stringify(data), "data.json", ir, quiet), "data.json");
      }),
      { numRuns: 1500, seed },
    );
  });

  it("extended XYZ: mutated files either load and batch or are a DatasetError naming the file", () => {
    const path = join(dir, "d.extxyz");
    const read = (text: string) => () => {
      writeFileSync(path, text);
      return readDataset(path, ir, quiet);
    };
    wellBehaved(read(XYZ_TEXT), "d.extxyz");
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (edits) => wellBehaved(read(mutate(XYZ_TEXT, edits)), "d.extxyz")), { numRuns: 1000, seed });
    const lines = XYZ_TEXT.split("\n");
    fc.assert(
      fc.property(fc.array(fc.record({ line: fc.nat(), how: fc.constantFrom("delete", "duplicate", "swap"), other: fc.nat() }), { minLength: 1, maxLength: 3 }), (edits) => {
        const ls = [...lines];
        for (const { line, how, other } of edits) {
          const i = line % ls.length, j = other % ls.length;
          if (how === "delete") ls.splice(i, 1);
          else if (how === "duplicate") ls.splice(i, 0, ls[i]!);
          else [ls[i], ls[j]] = [ls[j]!, ls[i]!];
          if (ls.length === 0) break;
        }
        wellBehaved(read(ls.join("\n")), "d.extxyz");
      }),
      { numRuns: 500, seed },
    );
  });
});
