/**
 * The plan as a formatted JavaScript object literal for the generated module: JSON's shape (every key quoted,
 * numbers as JSON writes them) but one entry per line, short objects and number lists on one line, long lists
 * wrapped, and each kernel's WGSL as a multi-line template literal, so the module reads like the plan it is.
 * Evaluating the literal gives exactly `JSON.parse(JSON.stringify(plan))`.
 */
import { stringLiteral, templateLiteral } from "./text-safety.js";

const WIDTH = 140;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `"key"`, or `["__proto__"]`: a plain `"__proto__":` in an object literal would set the prototype. */
function key(name: string): string {
  return name === "__proto__" ? `[${stringLiteral(name)}]` : stringLiteral(name);
}

function scalar(value: null | boolean | number | string): string {
  if (typeof value === "string") return value.includes("\n") ? templateLiteral(value) : stringLiteral(value);
  return JSON.stringify(value);
}

/** The value on one line, or undefined when it holds a multi-line string or exceeds `room` characters. */
function inline(value: Json, room: number): string | undefined {
  if (value === null || typeof value !== "object") {
    const s = scalar(value);
    return s.includes("\n") || s.length > room ? undefined : s;
  }
  const parts: string[] = [];
  let used = 4;
  const entries: [string | null, Json][] = Array.isArray(value) ? value.map((v) => [null, v]) : Object.entries(value);
  for (const [k, v] of entries) {
    const head = k === null ? "" : `${key(k)}: `;
    const s = inline(v, room - used - head.length);
    if (s === undefined) return undefined;
    parts.push(head + s);
    used += head.length + s.length + 2;
    if (used > room) return undefined;
  }
  if (Array.isArray(value)) return `[${parts.join(", ")}]`;
  return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
}

/**
 * `value` starting at column `indent.length`. `rowLength`: the row length of a buffer's `values` (its `cols`),
 * so that a table shows one row per line where a row fits.
 */
function format(value: Json, indent: string, rowLength = 0): string {
  const one = inline(value, WIDTH - indent.length);
  if (one !== undefined) return one;
  if (value === null || typeof value !== "object") return scalar(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    // Lists of numbers and short strings (a constant table, a step's buffers) wrap like prose.
    if (value.every((v) => v === null || typeof v !== "object")) {
      const items = value.map((v) => scalar(v as null | boolean | number | string));
      if (items.every((s) => !s.includes("\n"))) {
        const lines: string[] = [];
        let line = "";
        const rowBreaks = rowLength > 1 && rowLength < items.length;
        items.forEach((s, i) => {
          const rowStart = rowBreaks && i % rowLength === 0;
          if (line !== "" && (rowStart || inner.length + line.length + s.length + 2 > WIDTH)) {
            lines.push(`${inner}${line}`);
            line = "";
          }
          line += line === "" ? `${s},` : ` ${s},`;
        });
        if (line !== "") lines.push(`${inner}${line}`);
        return `[\n${lines.join("\n")}\n${indent}]`;
      }
    }
    return `[\n${value.map((v) => `${inner}${format(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const cols = typeof value.cols === "number" ? value.cols : 0;
  return `{\n${Object.entries(value).map(([k, v]) => `${inner}${key(k)}: ${format(v, inner, k === "values" ? cols : 0)},`).join("\n")}\n${indent}}`;
}

/** `plan` (any JSON data) as a formatted object literal starting at column `indent.length`. */
export function planLiteral(plan: unknown, indent = ""): string {
  return format(JSON.parse(JSON.stringify(plan)) as Json, indent);
}
