import { describe, expect, it } from "vitest";
import { encodeSafetensors, type Tensor } from "./safetensors.js";
import { readWeights, WeightsError } from "./weights.js";

const layout = { model: "A", paramCount: 5, params: [{ name: "w", offset: 0, size: 4, shape: [2, 2] }, { name: "b", offset: 4, size: 1, shape: [1] }] };
const tensors = (): Record<string, Tensor> => ({ w: { dtype: "F32", shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) }, b: { dtype: "F32", shape: [1], data: Float32Array.of(5) } });

const messageOf = (bytes: Uint8Array): string => {
  try {
    readWeights(bytes, layout, "a.safetensors");
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message.startsWith("a.safetensors: ")).toBe(true);
    return (e as Error).message;
  }
  throw new Error("accepted");
};

describe("readWeights", () => {
  it("reads regnn weights, checkpoints (optimiser state beside) and e3nn files (no metadata, F64)", () => {
    expect([...readWeights(encodeSafetensors(tensors(), { model: "A", format: "regnn-weights-1" }), layout, "a").params]).toEqual([1, 2, 3, 4, 5]);
    const ckpt = { ...tensors(), "optimizer.opt_m": { dtype: "F32" as const, shape: [5], data: new Float32Array(5) } };
    expect([...readWeights(encodeSafetensors(ckpt, { model: "A", format: "regnn-checkpoint-2" }), layout, "a").params]).toEqual([1, 2, 3, 4, 5]);
    const e3nn = { w: { dtype: "F64" as const, shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) }, b: { dtype: "F64" as const, shape: [1], data: Float64Array.of(5) } };
    expect([...readWeights(encodeSafetensors(e3nn), layout, "a").params]).toEqual([1, 2, 3, 4, 5]);
  });

  it("refuses another model's weights, naming the file and what differs", () => {
    expect(messageOf(encodeSafetensors(tensors(), { model: "B" }))).toBe("a.safetensors: these are weights of model 'B', not of 'A'");
    const { b: _b, ...noB } = tensors();
    expect(messageOf(encodeSafetensors(noB))).toContain("no tensor 'b': these are not weights of model 'A'");
    expect(messageOf(encodeSafetensors({ ...tensors(), extra: { dtype: "F32", shape: [1], data: Float32Array.of(0) } }))).toContain("tensor 'extra' is not a parameter of model 'A'");
    expect(messageOf(encodeSafetensors({ ...tensors(), w: { dtype: "F32", shape: [4], data: Float32Array.of(1, 2, 3, 4) } }))).toContain("tensor 'w' has shape [4], expected [2, 2] (4 numbers)");
    expect(messageOf(encodeSafetensors({ ...tensors(), w: { dtype: "F32", shape: [2, 3], data: new Float32Array(6) } }))).toContain("tensor 'w' has shape [2, 3], expected [2, 2]");
    expect(messageOf(encodeSafetensors({ ...tensors(), "optimizer.opt_m": { dtype: "F32", shape: [1], data: Float32Array.of(0) } }, { format: "regnn-weights-1" }))).toContain("tensor 'optimizer.opt_m' is not a parameter");
    expect(messageOf(encodeSafetensors(tensors(), { format: "something-else" }))).toContain("format 'something-else' is not regnn weights");
  });
});
