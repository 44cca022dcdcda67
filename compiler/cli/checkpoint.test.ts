// Checkpoints are verified before anything is trusted: digests of every tensor and of the metadata, the
// model (IR hash, blind to comments), and numbers a training run can have written. Everything wrong is a
// CheckpointError naming the file, never a raw JavaScript message or a "training divergence".
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "../../runtime/model/safetensors.js";
import { planModel } from "../codegen/plan.js";
import { compileOrThrow } from "../../test/test-models.js";
import { CheckpointError, encodeCheckpoint, optimizerBuffers, readCheckpoint, type Checkpoint } from "./checkpoint.js";
import { irSha256 } from "../ir/identity.js";
import { datasetSha256 } from "./identity.js";

const SPEC = `model P {
  symmetry relax to C1 lmax 1
  input x: 0e + 1o
  target a: 1o
  layer y = relaxed_node(x) -> 1o
  output acc = y
  train { loss: sse(acc, a)  optimizer: adam(lr: 1e-2)  epochs: 8  batch: 2 }
}`;
const ir = compileOrThrow(SPEC, "p.regnn");
const plan = planModel(ir);

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "regnn-ckpt-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sample(): Checkpoint {
  const params = Float32Array.from({ length: plan.paramCount }, (_, i) => Math.sin(i + 1));
  const optimizer = Object.fromEntries(optimizerBuffers(plan).map((b, k) => [b, Float32Array.from({ length: plan.paramCount }, (_, i) => (k + 1) * 1e-3 * (i + 1))]));
  return { model: "P", specSha256: ir.source.sha256, irSha256: irSha256(ir), dataSha256: "d".repeat(64), epoch: 4, epochs: 8, steps: 12, seed: 3, params, optimizer };
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function errorOf(f: () => unknown): Error | undefined {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  return undefined;
}

/** The same file with its tensors or metadata changed and every digest recomputed: only the content checks can tell. */
function reencoded(bytes: Uint8Array, change: (t: ReturnType<typeof decodeSafetensors>) => void): Uint8Array {
  const d = decodeSafetensors(bytes);
  change(d);
  return encodeSafetensors({ ...d.tensors }, { ...d.metadata });
}

describe("checkpoints", () => {
  it("round-trip with their identity", () => {
    const path = write("good.safetensors", encodeCheckpoint(plan, sample()));
    const c = readCheckpoint(path, plan, irSha256(ir));
    expect([c.epoch, c.epochs, c.steps, c.seed, c.dataSha256]).toEqual([4, 8, 12, 3, "d".repeat(64)]);
    expect([...c.params]).toEqual([...sample().params]);
  });

  it("refuse one flipped mantissa bit, naming the file", () => {
    const bytes = encodeCheckpoint(plan, sample());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const flipped = bytes.slice();
    flipped[8 + n + 1] ^= 0x01;
    const path = write("flipped.safetensors", flipped);
    const e = errorOf(() => readCheckpoint(path, plan, irSha256(ir)));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e!.message).toMatch(new RegExp(`^${path}: tensor '.*' does not match its SHA-256 digest: the file is corrupt; train from the start`));
  });

  it("refuse edited metadata even with the tensor digests intact", () => {
    const path = write("edited.safetensors", reencoded(encodeCheckpoint(plan, sample()), (d) => (d.metadata.epoch = "6")));
    const e = errorOf(() => readCheckpoint(path, plan, irSha256(ir)));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e!.message).toContain(`${path}: its digests are missing or do not match its metadata`);
  });

  it("refuse NaN, infinite or absurd parameters as a corrupt file, not as a divergence", () => {
    for (const [v, words] of [[NaN, "is NaN"], [Infinity, "is Infinity"], [1e38, "is 1.000e+38, beyond ±1e+18"]] as const) {
      const c = sample();
      c.params[2] = v;
      const path = write(`bad-${v}.safetensors`, encodeCheckpoint(plan, c));
      const e = errorOf(() => readCheckpoint(path, plan, irSha256(ir)));
      expect(e).toBeInstanceOf(CheckpointError);
      expect(e!.message).toContain(`${path}: parameter '`);
      expect(e!.message).toContain(words);
      expect(e!.message).toContain("the file is corrupt or was edited");
    }
    const c = sample();
    c.optimizer[optimizerBuffers(plan)[0]!]![1] = NaN;
    const path = write("bad-opt.safetensors", encodeCheckpoint(plan, c));
    expect(errorOf(() => readCheckpoint(path, plan))?.message).toContain("[1] is NaN; the file is corrupt");
  });

  it("refuse null metadata or tensor entries with a CheckpointError naming the file", () => {
    const json = (header: unknown) => {
      const h = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + h.length + 4);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      return out;
    };
    for (const [header, words] of [
      [{ __metadata__: null, x: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, "__metadata__ is null"],
      [{ __metadata__: { format: "regnn-checkpoint-2" }, x: null }, "tensor 'x' is null"],
      [null, "the header is null"],
    ] as const) {
      const path = write("null.safetensors", json(header));
      const e = errorOf(() => readCheckpoint(path, plan));
      expect(e).toBeInstanceOf(CheckpointError);
      expect(e!.message.startsWith(`${path}: `)).toBe(true);
      expect(e!.message).toContain(words);
    }
  });

  it("identify the model by its IR: a comment does not change it, a learning rate does", () => {
    const commented = compileOrThrow(`// trained on the cluster\n${SPEC.replace("output acc = y", "output acc = y   // the accumulated field")}`, "other-name.regnn");
    expect(commented.source.sha256).not.toBe(ir.source.sha256);
    expect(irSha256(commented)).toBe(irSha256(ir));
    const path = write("ident.safetensors", encodeCheckpoint(plan, sample()));
    expect(readCheckpoint(path, planModel(commented), irSha256(commented)).epoch).toBe(4);
    const changed = compileOrThrow(SPEC.replace("lr: 1e-2", "lr: 2e-2"), "p.regnn");
    expect(errorOf(() => readCheckpoint(path, planModel(changed), irSha256(changed)))?.message).toContain("different version of the spec");
  });

  it("identify the data by the graphs: any changed number changes the digest, the file format does not matter", () => {
    const graphs = [{ numNodes: 2, features: { x: [1, 2, 3, 4, 5, 6, 7, 8], a: [0, 0, 1, 1, 0, 0] } }];
    const same = [{ numNodes: 2, features: { a: Float64Array.of(0, 0, 1, 1, 0, 0), x: [1, 2, 3, 4, 5, 6, 7, 8] } }];
    expect(datasetSha256(same)).toBe(datasetSha256(graphs));
    const moved = [{ numNodes: 2, features: { x: [1, 2, 3, 4, 5, 6, 7, 8.000001], a: [0, 0, 1, 1, 0, 0] } }];
    expect(datasetSha256(moved)).not.toBe(datasetSha256(graphs));
    expect(datasetSha256([...graphs, ...graphs])).not.toBe(datasetSha256(graphs));
  });

  it("fuzz: mutated checkpoint files either load or fail with a CheckpointError naming the file", () => {
    const good = encodeCheckpoint(plan, sample());
    const path = join(dir, "fuzz.safetensors");
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("flip"), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant("set"), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant("truncate"), at: fc.nat() }),
      fc.record({ kind: fc.constant("insert"), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    );
    let loaded = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        let b = Array.from(good);
        for (const m of ms) {
          const i = m.at % Math.max(1, b.length);
          if (m.kind === "flip") b[i] = b[i]! ^ (1 << m.bit!);
          else if (m.kind === "set") b[i] = m.value!;
          else if (m.kind === "truncate") b = b.slice(0, i);
          else b.splice(i, 0, m.value!);
        }
        writeFileSync(path, Uint8Array.from(b));
        let c: Checkpoint | undefined;
        const e = errorOf(() => (c = readCheckpoint(path, plan, irSha256(ir))));
        if (!e) {
          // What loads can only be a change the format ignores (JSON white space): never a different number.
          expect([...c!.params]).toEqual([...sample().params]);
          expect([c!.epoch, c!.epochs, c!.steps, c!.seed]).toEqual([4, 8, 12, 3]);
          loaded++;
          return;
        }
        expect(e, e.message).toBeInstanceOf(CheckpointError);
        expect(e.message.startsWith(`${path}: `), e.message).toBe(true);
      }),
      { numRuns: 1500, seed: 20261204 },
    );
    expect(loaded).toBeLessThan(1500);
  });
});
