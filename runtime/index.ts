/** regnn's WebGPU runtime: what compiled models call to get a device, move data and run kernels. */
export * from "./device.js";
export * from "./errors.js";
export * from "./buffers.js";
export * from "./kernel.js";
