import { describe, expect, it } from "vitest";
import { deviceClass, planOptionsFor } from "./device-class.js";

describe("device class", () => {
  it("software adapters are CPU-like, others GPUs", () => {
    expect(deviceClass({ isFallbackAdapter: false, text: "mesa / software / llvmpipe (LLVM 19.1.7, 256 bits) / llvmpipe" })).toBe("cpu");
    expect(deviceClass({ isFallbackAdapter: false, text: "google / swiftshader / SwiftShader Device (Subzero)" })).toBe("cpu");
    expect(deviceClass({ isFallbackAdapter: true, text: "some adapter" })).toBe("cpu");
    expect(deviceClass({ isFallbackAdapter: false, text: "nvidia / hopper / NVIDIA H200 / NVIDIA: 580.159" })).toBe("gpu");
  });

  it("plan options take the device's storage-binding limit, and a forced class", () => {
    const ctx = { adapterInfo: { isFallbackAdapter: false, text: "mesa / software / llvmpipe" }, device: { limits: { maxStorageBufferBindingSize: 134217728 } } };
    expect(planOptionsFor(ctx)).toEqual({ shape: "cpu", maxBindingBytes: 134217728 });
    expect(planOptionsFor(ctx, "gpu").shape).toBe("gpu");
  });
});
