/**
 * Moving data between typed arrays and GPU buffers.
 *
 * Needs the WebGPU globals (`GPUBufferUsage`, `GPUMapMode`); in Node {@link createDevice} installs them.
 */

/** Typed arrays whose elements are 4 bytes, the unit of every WGSL storage scalar used here. */
export type Word32Array = Float32Array | Uint32Array | Int32Array;

/** Options for buffers created by these helpers. */
export interface BufferOptions {
  label?: string;
  /** Replaces the default usage (`STORAGE | COPY_SRC | COPY_DST`). */
  usage?: GPUBufferUsageFlags;
}

function storageUsage(options: BufferOptions): GPUBufferUsageFlags {
  return options.usage ?? GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
}

/** Creates a storage buffer holding a copy of `data`. */
export function createStorageBuffer(device: GPUDevice, data: Word32Array, options: BufferOptions = {}): GPUBuffer {
  // A zero-sized buffer cannot be bound; empty inputs get one unused word.
  const size = Math.max(4, data.byteLength);
  const buffer = device.createBuffer({
    label: options.label,
    size,
    usage: storageUsage(options),
    mappedAtCreation: true,
  });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  return buffer;
}

/** Creates a zero-filled storage buffer of `byteLength` bytes (WebGPU zero-initialises new buffers). */
export function createZeroBuffer(device: GPUDevice, byteLength: number, options: BufferOptions = {}): GPUBuffer {
  return device.createBuffer({ label: options.label, size: Math.max(4, alignTo(byteLength, 4)), usage: storageUsage(options) });
}

/**
 * Creates a uniform buffer holding a copy of `data`, padded to 16 bytes because WGSL rounds uniform
 * struct sizes up to their 16-byte alignment and the binding must be at least that large.
 */
export function createUniformBuffer(device: GPUDevice, data: ArrayBufferView, label?: string): GPUBuffer {
  const buffer = device.createBuffer({
    label,
    size: Math.max(16, alignTo(data.byteLength, 16)),
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    mappedAtCreation: true,
  });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  return buffer;
}

/** Which part of a buffer to read back, in bytes. Both must be multiples of 4. */
export interface ReadRange {
  byteOffset?: number;
  byteLength?: number;
}

/** Copies (part of) `buffer` into a new `ArrayBuffer`. `buffer` needs `COPY_SRC` usage. */
export async function readBuffer(device: GPUDevice, buffer: GPUBuffer, range: ReadRange = {}): Promise<ArrayBuffer> {
  const byteOffset = range.byteOffset ?? 0;
  const byteLength = range.byteLength ?? buffer.size - byteOffset;
  if (byteOffset % 4 !== 0 || byteLength % 4 !== 0) {
    throw new RangeError(`readBuffer: offset ${byteOffset} and length ${byteLength} must be multiples of 4`);
  }
  if (byteLength === 0) return new ArrayBuffer(0);
  // Storage buffers cannot be mapped directly: copy into a mappable staging buffer first.
  const staging = device.createBuffer({
    label: `${buffer.label || "buffer"} (readback)`,
    size: byteLength,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  try {
    const encoder = device.createCommandEncoder({ label: "readback" });
    encoder.copyBufferToBuffer(buffer, byteOffset, staging, 0, byteLength);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    // The mapped range is detached on unmap, so keep a copy.
    return staging.getMappedRange().slice(0);
  } finally {
    staging.destroy();
  }
}

/** Reads (part of) `buffer` back as f32 values. */
export async function readFloat32(device: GPUDevice, buffer: GPUBuffer, range: ReadRange = {}): Promise<Float32Array> {
  return new Float32Array(await readBuffer(device, buffer, range));
}

/** Reads (part of) `buffer` back as u32 values. */
export async function readUint32(device: GPUDevice, buffer: GPUBuffer, range: ReadRange = {}): Promise<Uint32Array> {
  return new Uint32Array(await readBuffer(device, buffer, range));
}

function alignTo(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
