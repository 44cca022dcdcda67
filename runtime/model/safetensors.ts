/**
 * The safetensors format (8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw little-endian data), for F32 and F64 tensors. No maintained JavaScript
 * implementation exists in the npm registry; the format is small and fully specified, so it lives here.
 */

export interface Tensor {
  dtype: "F32" | "F64";
  shape: number[];
  data: Float32Array | Float64Array;
}

const BYTES = { F32: 4, F64: 8 } as const;

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const t = tensors[name]!;
    const count = t.shape.reduce((s, n) => s * n, 1);
    if (count !== t.data.length) throw new Error(`safetensors: tensor '${name}' has shape [${t.shape}] but ${t.data.length} numbers`);
    if ((t.dtype === "F32") !== (t.data instanceof Float32Array)) throw new Error(`safetensors: tensor '${name}' data does not match dtype ${t.dtype}`);
    const bytes = count * BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // The format recommends aligning the data start to 8 bytes; spaces are valid JSON padding.
  json += " ".repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const view = new DataView(out.buffer, 8 + headerBytes.length);
  let at = 0;
  for (const name of names) {
    const t = tensors[name]!;
    for (const v of t.data) {
      if (t.dtype === "F32") view.setFloat32(at, v, true);
      else view.setFloat64(at, v, true);
      at += BYTES[t.dtype];
    }
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array, what = "safetensors data"): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error(`${what}: too short to be safetensors (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) throw new Error(`${what}: header length ${n} exceeds the file (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + Number(n)))) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${what}: the header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + Number(n);
  const tensors: Record<string, Tensor> = {};
  const metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) metadata[k] = String(v);
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== "F32" && e.dtype !== "F64") throw new Error(`${what}: tensor '${name}' has dtype ${String(e.dtype)}; only F32 and F64 are supported`);
    const shape = e.shape, range = e.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${what}: tensor '${name}' has an invalid shape`);
    if (!Array.isArray(range) || range.length !== 2) throw new Error(`${what}: tensor '${name}' has invalid data_offsets`);
    const [begin, end] = range as [number, number];
    const count = (shape as number[]).reduce((s, d) => s * d, 1);
    if (!(Number.isInteger(begin) && end - begin === count * BYTES[e.dtype] && begin >= 0 && dataStart + end <= bytes.length))
      throw new Error(`${what}: tensor '${name}' data_offsets [${begin}, ${end}] do not fit its shape or the file`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin);
    const data = e.dtype === "F32" ? new Float32Array(count) : new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = e.dtype === "F32" ? dv.getFloat32(i * 4, true) : dv.getFloat64(i * 8, true);
    tensors[name] = { dtype: e.dtype, shape: shape as number[], data };
  }
  return { tensors, metadata };
}
