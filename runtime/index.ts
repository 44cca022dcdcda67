/** regnn's WebGPU runtime: what compiled models call to get a device, move data and run kernels. */
export * from "./device.js";
export * from "./device-class.js";
export * from "./errors.js";
export * from "./buffers.js";
export * from "./kernel.js";
export { createComputeKernels, cachedPipelineCount, type PipelineProgress, type CreateKernelsOptions } from "./pipelines.js";
export * from "../util/random.js";
export * from "./graph/index.js";
export * from "./model/plan.js";
export * from "./model/plan-shape.js";
export * from "./model/executor.js";
export { pacesQueue, QueuePacer } from "./model/queue-pacer.js";
export * from "./model/compiled-model.js";
export * from "./model/safetensors.js";
export * from "./model/weights.js";
export * from "./model/optimizer-hyper.js";
export * from "./model/plan-size.js";
