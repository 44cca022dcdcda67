/**
 * The safetensors format (8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw little-endian data), for F32 and F64 tensors. No maintained JavaScript
 * implementation exists in the npm registry; the format is small and fully specified, so it lives here.
 *
 * Files written here carry the SHA-256 of every tensor's bytes in the metadata (`sha256:<name>`), and reading
 * verifies them, so a flipped bit is an error rather than a silently different model. Files without digests
 * (e3nn's, older regnn's) still read; `digested` says which kind a file was.
 */
import { sha256Hex } from "./sha256.js";

export interface Tensor {
  dtype: "F32" | "F64";
  shape: number[];
  data: Float32Array | Float64Array;
}

/** A file that is not well-formed safetensors, or whose data does not match its digests; the message names the file. */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SafetensorsError";
  }
}

const BYTES = { F32: 4, F64: 8 } as const;
export const DIGEST_PREFIX = "sha256:";
/** The format's own limit on the header (100 MB): a larger length is a corrupt file, not a big model. */
const MAX_HEADER_BYTES = 100_000_000;

function tensorBytes(name: string, t: Tensor): Uint8Array {
  const count = t.shape.reduce((s, n) => s * n, 1);
  if (count !== t.data.length) throw new Error(`safetensors: tensor '${name}' has shape [${t.shape}] but ${t.data.length} numbers`);
  if ((t.dtype === "F32") !== (t.data instanceof Float32Array)) throw new Error(`safetensors: tensor '${name}' data does not match dtype ${t.dtype}`);
  const out = new Uint8Array(count * BYTES[t.dtype]);
  const view = new DataView(out.buffer);
  t.data.forEach((v, i) => (t.dtype === "F32" ? view.setFloat32(i * 4, v, true) : view.setFloat64(i * 8, v, true)));
  return out;
}

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const data = names.map((name) => tensorBytes(name, tensors[name]!));
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (k.startsWith(DIGEST_PREFIX)) throw new Error(`safetensors: metadata key '${k}' is reserved for tensor digests`);
    meta[k] = v;
  }
  names.forEach((name, i) => (meta[`${DIGEST_PREFIX}${name}`] = sha256Hex(data[i]!)));
  const header: Record<string, unknown> = {};
  if (Object.keys(meta).length) header.__metadata__ = meta;
  let offset = 0;
  names.forEach((name, i) => {
    const t = tensors[name]!;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + data[i]!.length] };
    offset += data[i]!.length;
  });
  let json = JSON.stringify(header);
  // The format recommends aligning the data start to 8 bytes; spaces are valid JSON padding.
  json += " ".repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const d of data) {
    out.set(d, at);
    at += d.length;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface DecodedSafetensors {
  /** By name; a record without a prototype, so any name (`__proto__` included) is just a name. */
  tensors: Record<string, Tensor>;
  /** The metadata, without the digests. */
  metadata: Record<string, string>;
  /** True when every tensor carried a digest (all verified); false when the file has none. */
  digested: boolean;
}

/** Reads safetensors bytes; throws a SafetensorsError starting with `what` (the file) for anything malformed. */
export function decodeSafetensors(bytes: Uint8Array, what = "safetensors data"): DecodedSafetensors {
  const fail = (message: string): never => {
    throw new SafetensorsError(`${what}: ${message}`);
  };
  if (bytes.length < 8) fail(`too short to be safetensors (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) fail(`header length ${n} exceeds the file (${bytes.length} bytes); not safetensors, or truncated`);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} is over the format's limit of ${MAX_HEADER_BYTES} bytes`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + Number(n))));
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) fail(`the header is ${header === null ? "null" : Array.isArray(header) ? "an array" : `a ${typeof header}`}, not a JSON object`);
  const entries = header as Record<string, unknown>;
  const dataStart = 8 + Number(n);
  const dataLength = bytes.length - dataStart;
  const tensors: Record<string, Tensor> = Object.create(null) as Record<string, Tensor>;
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  const digests = new Map<string, string>();
  const ranges: { name: string; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (name === "__metadata__") {
      if (!isObject(entry)) fail(`__metadata__ is ${entry === null ? "null" : typeof entry}, not an object of strings`);
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== "string") fail(`__metadata__ '${k}' is ${v === null ? "null" : typeof v}, not a string`);
        if (k.startsWith(DIGEST_PREFIX)) {
          if (!/^[0-9a-f]{64}$/.test(v as string)) fail(`digest '${k}' is not 64 hex digits`);
          digests.set(k.slice(DIGEST_PREFIX.length), v as string);
        } else metadata[k] = v as string;
      }
      continue;
    }
    if (!isObject(entry)) fail(`tensor '${name}' is ${entry === null ? "null" : typeof entry}, not an object with dtype, shape and data_offsets`);
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== "F32" && e.dtype !== "F64") fail(`tensor '${name}' has dtype ${JSON.stringify(e.dtype) ?? "(none)"}; only F32 and F64 are supported`);
    const dtype = e.dtype as "F32" | "F64";
    const shape = e.shape, range = e.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor '${name}' has an invalid shape`);
    if (!Array.isArray(range) || range.length !== 2 || !range.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor '${name}' has invalid data_offsets`);
    const [begin, end] = range as [number, number];
    const count = (shape as number[]).reduce((s, d) => s * d, 1);
    if (!(end - begin === count * BYTES[dtype] && end <= dataLength)) fail(`tensor '${name}' data_offsets [${begin}, ${end}] do not fit its shape or the file`);
    ranges.push({ name, begin, end });
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin);
    const data = dtype === "F32" ? new Float32Array(count) : new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = dtype === "F32" ? dv.getFloat32(i * 4, true) : dv.getFloat64(i * 8, true);
    tensors[name] = { dtype, shape: shape as number[], data };
  }
  // The format has the tensors tile the data exactly: an overlap or a gap is a damaged or forged file.
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const r of ranges) {
    if (r.begin !== at) fail(`tensor '${r.name}' data_offsets [${r.begin}, ${r.end}] ${r.begin < at ? "overlap another tensor" : "leave a gap before it"}`);
    at = r.end;
  }
  if (at !== dataLength) fail(`${dataLength - at} bytes after the last tensor; truncated or damaged`);
  for (const name of digests.keys()) if (!(name in tensors)) fail(`a digest names tensor '${name}', which the file does not hold`);
  if (digests.size > 0) {
    for (const r of ranges) {
      const want = digests.get(r.name);
      if (want === undefined) fail(`tensor '${r.name}' has no digest while the others do; the file was altered`);
      if (sha256Hex(bytes.subarray(dataStart + r.begin, dataStart + r.end)) !== want) fail(`tensor '${r.name}' does not match its SHA-256 digest: the file is corrupt`);
    }
  }
  return { tensors, metadata, digested: digests.size > 0 };
}
