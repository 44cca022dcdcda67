/**
 * The model as compiled, by a hash of its IR: comments, layout and the file name do not count, but every
 * layer, size, constant and training setting does. A checkpoint or weights file must match it. No Node, so the
 * browser playground reads weights with the same check.
 */
import { sha256Hex } from "../../runtime/model/sha256.js";
import type { ModelIR } from "./types.js";

/** JSON with object keys sorted, so the hash does not depend on the order fields were built in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** SHA-256 of the IR without its `source` (file name and the hash of the raw text). */
export function irSha256(ir: ModelIR): string {
  const { source: _source, ...rest } = ir;
  return sha256Hex(new TextEncoder().encode(canonical(rest)));
}
