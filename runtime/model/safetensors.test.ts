import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "./safetensors.js";

/** A file with a hand-written header (for headers encodeSafetensors never writes). */
function withHeader(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const errorOf = (f: () => unknown): Error | undefined => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  return undefined;
};

describe("safetensors", () => {
  it("round-trips F32 and F64 tensors with metadata, with the documented byte layout", () => {
    const bytes = encodeSafetensors(
      { "h1.theta": { dtype: "F32", shape: [3], data: Float32Array.of(1, -2.5, 3) }, "a.weight": { dtype: "F64", shape: [2, 2], data: Float64Array.of(0.1, 0.2, 0.3, 0.4) } },
      { spec_sha256: "abc", epoch: "3" },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header["a.weight"]).toEqual({ dtype: "F64", shape: [2, 2], data_offsets: [0, 32] });
    expect(header["h1.theta"]).toEqual({ dtype: "F32", shape: [3], data_offsets: [32, 44] });
    expect(bytes.length).toBe(8 + n + 44);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ spec_sha256: "abc", epoch: "3" });
    expect([...tensors["h1.theta"]!.data]).toEqual([1, -2.5, 3]);
    expect([...tensors["a.weight"]!.data]).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(tensors["a.weight"]!.shape).toEqual([2, 2]);
  });

  it("rejects truncated or malformed files with a message", () => {
    const good = encodeSafetensors({ x: { dtype: "F32", shape: [2], data: Float32Array.of(1, 2) } });
    expect(() => decodeSafetensors(good.subarray(0, 5), "w.safetensors")).toThrow("w.safetensors: too short");
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4))).toThrow("do not fit");
    const bad = good.slice();
    bad[8] = 0x7b + 1;
    expect(() => decodeSafetensors(bad)).toThrow("not valid JSON");
    expect(() => encodeSafetensors({ x: { dtype: "F32", shape: [3], data: Float32Array.of(1) } })).toThrow("shape [3] but 1 numbers");
  });

  it("stores a SHA-256 of every tensor and refuses a file with one flipped mantissa bit", () => {
    const bytes = encodeSafetensors({ w: { dtype: "F32", shape: [4], data: Float32Array.of(0.5, -1.25, 3, 7) }, b: { dtype: "F32", shape: [1], data: Float32Array.of(2) } }, { model: "M" });
    const { digested, metadata, tensors } = decodeSafetensors(bytes, "m.safetensors");
    expect(digested).toBe(true);
    expect({ ...metadata }).toEqual({ model: "M" });
    expect([...tensors.w!.data]).toEqual([0.5, -1.25, 3, 7]);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    // Byte 0 of a little-endian float32 is the lowest mantissa byte: the value moves by one ulp.
    const flipped = bytes.slice();
    flipped[8 + n + 4 + 2 * 4] ^= 1;
    const e = errorOf(() => decodeSafetensors(flipped, "m.safetensors"));
    expect(e).toBeInstanceOf(SafetensorsError);
    expect(e!.message).toBe("m.safetensors: tensor 'w' does not match its SHA-256 digest: the file is corrupt");
    // Files without digests (e3nn's) still read, and say so.
    const plain = withHeader({ x: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(decodeSafetensors(plain).digested).toBe(false);
  });

  it("names the file for null or malformed headers and entries, never a raw JavaScript message", () => {
    const four = new Uint8Array(4);
    const cases: [unknown, Uint8Array, string][] = [
      [null, four, "the header is null, not a JSON object"],
      [[1, 2], four, "the header is an array, not a JSON object"],
      [7, four, "the header is a number, not a JSON object"],
      [{ __metadata__: null, x: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, four, "__metadata__ is null, not an object of strings"],
      [{ __metadata__: { a: null } }, new Uint8Array(0), "__metadata__ 'a' is null, not a string"],
      [{ x: null }, four, "tensor 'x' is null, not an object with dtype, shape and data_offsets"],
      [{ x: 3 }, four, "tensor 'x' is number, not an object"],
      [{ x: { dtype: "I8", shape: [1], data_offsets: [0, 1] } }, four, `tensor 'x' has dtype "I8"; only F32 and F64`],
      [{ x: { dtype: "F32", shape: [1], data_offsets: [0.5, 4] } }, four, "tensor 'x' has invalid data_offsets"],
      [{ x: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, y: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, four, "overlap another tensor"],
      [{ x: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8), "leave a gap before it"],
      [{ x: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8), "4 bytes after the last tensor"],
      [{ __metadata__: { "sha256:y": "0".repeat(64) }, x: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, four, "a digest names tensor 'y', which the file does not hold"],
    ];
    for (const [header, data, message] of cases) {
      const e = errorOf(() => decodeSafetensors(withHeader(header, data), "w.safetensors"));
      expect(e, JSON.stringify(header)).toBeInstanceOf(SafetensorsError);
      expect(e!.message.startsWith("w.safetensors: "), e!.message).toBe(true);
      expect(e!.message).toContain(message);
    }
  });

  it("keeps a tensor named __proto__ as a tensor", () => {
    const { tensors } = decodeSafetensors(withHeader(JSON.parse('{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}'), new Uint8Array(4)));
    expect(Object.keys(tensors)).toEqual(["__proto__"]);
    expect(tensors["__proto__"]!.shape).toEqual([1]);
  });

  it("fuzz: mutated files either decode or fail with a SafetensorsError naming the file", () => {
    const good = encodeSafetensors({ a: { dtype: "F32", shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }, b: { dtype: "F64", shape: [2], data: Float64Array.of(-1, 1e-300) } }, { model: "M", epoch: "3" });
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("flip"), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant("set"), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant("truncate"), at: fc.nat() }),
      fc.record({ kind: fc.constant("insert"), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        let b = Array.from(good);
        for (const m of ms) {
          const i = m.at % Math.max(1, b.length);
          if (m.kind === "flip") b[i] = b[i]! ^ (1 << m.bit!);
          else if (m.kind === "set") b[i] = m.value!;
          else if (m.kind === "truncate") b = b.slice(0, i);
          else b.splice(i, 0, m.value!);
        }
        const e = errorOf(() => decodeSafetensors(Uint8Array.from(b), "f.safetensors"));
        if (e) {
          expect(e, e.message).toBeInstanceOf(SafetensorsError);
          expect(e.message.startsWith("f.safetensors: ")).toBe(true);
        }
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });
});
