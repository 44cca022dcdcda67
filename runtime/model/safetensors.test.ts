import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

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
});
