/**
 * Reading the arguments of a call (`bessel(count: 8, cutoff: 1.8)`, `sgd(1e-2)`) against a declared
 * signature: types, ranges, defaults, unknown and repeated names, each error pinned to its argument.
 */
import type { Call, Expression, Span } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { didYouMean } from "../suggest.js";

/** `optional`: may be left out with no default (the caller supplies one, e.g. from the symmetry clause). */
export type OptionSpec = (
  | { type: "int"; min: number; max: number; default?: number }
  | { type: "number"; min?: number; max?: number; greaterThan?: number; lessThan?: number; default?: number }
  | { type: "word"; values: readonly string[]; default?: string }
  | { type: "bool"; default?: boolean }
  | { type: "intList"; min: number; max: number; maxLength: number; default?: number[] }
) & { optional?: boolean };

export type OptionValue = number | string | boolean | number[];

export interface Signature {
  /** Names that may also be given positionally, in order (after the call's leading value arguments). */
  positional?: readonly string[];
  options: Readonly<Record<string, OptionSpec>>;
}

const describe = (e: Expression): string =>
  ({ Number: "a number", String: "a string", Identifier: `'${e.kind === "Identifier" ? e.name : ""}'`, Irreps: "an irreps literal", Tuple: "a tuple", List: "a list", Call: "a call" })[e.kind];

function range(spec: Extract<OptionSpec, { type: "number" }>): string {
  const parts: string[] = [];
  if (spec.greaterThan !== undefined) parts.push(`> ${spec.greaterThan}`);
  if (spec.min !== undefined) parts.push(`>= ${spec.min}`);
  if (spec.lessThan !== undefined) parts.push(`< ${spec.lessThan}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  return parts.join(" and ");
}

/** Checks one value against its spec; returns the value or pushes a diagnostic and returns undefined. */
export function readValue(name: string, spec: OptionSpec, e: Expression, diags: Diagnostic[]): OptionValue | undefined {
  const bad = (what: string) => {
    diags.push(error("E113", `${name} must be ${what}, found ${describe(e)}`, e.span));
    return undefined;
  };
  switch (spec.type) {
    case "int": {
      if (e.kind !== "Number") return bad("a whole number");
      if (!Number.isInteger(e.value)) return bad("a whole number");
      if (e.value < spec.min || e.value > spec.max) {
        diags.push(error("E110", `${name} must be between ${spec.min} and ${spec.max}, found ${e.text}`, e.span));
        return undefined;
      }
      return e.value;
    }
    case "number": {
      if (e.kind !== "Number") return bad("a number");
      const v = e.value;
      const ok =
        Number.isFinite(v) &&
        (spec.min === undefined || v >= spec.min) && (spec.max === undefined || v <= spec.max) &&
        (spec.greaterThan === undefined || v > spec.greaterThan) && (spec.lessThan === undefined || v < spec.lessThan);
      if (!ok) {
        diags.push(error("E110", `${name} must be ${range(spec)}, found ${e.text}`, e.span));
        return undefined;
      }
      return v;
    }
    case "word": {
      if (e.kind !== "Identifier") return bad(`one of ${spec.values.join(", ")}`);
      if (!spec.values.includes(e.name)) {
        diags.push(error("E113", `${name} must be one of ${spec.values.join(", ")}, found '${e.name}'`, e.span, didYouMean(e.name, spec.values)));
        return undefined;
      }
      return e.name;
    }
    case "bool": {
      if (e.kind !== "Identifier" || (e.name !== "true" && e.name !== "false")) return bad("true or false");
      return e.name === "true";
    }
    case "intList": {
      if (e.kind !== "List") return bad(`a list of whole numbers such as [16]`);
      if (e.items.length > spec.maxLength) {
        diags.push(error("E110", `${name} may have at most ${spec.maxLength} entries, found ${e.items.length}`, e.span));
        return undefined;
      }
      const out: number[] = [];
      for (const item of e.items) {
        const v = readValue(`each entry of ${name}`, { type: "int", min: spec.min, max: spec.max }, item, diags);
        if (v === undefined) return undefined;
        out.push(v as number);
      }
      return out;
    }
  }
}

/**
 * Reads the call's arguments from index `skip` on (the leading ones are value references the caller handles)
 * and returns every option with its value or default. Options without default that are missing are reported.
 */
export function readOptions(
  call: Call,
  skip: number,
  signature: Signature,
  diags: Diagnostic[],
  what: string,
): Record<string, OptionValue | undefined> {
  const out: Record<string, OptionValue | undefined> = {};
  const seen = new Map<string, Span>();
  const positional = signature.positional ?? [];
  let nextPositional = 0;
  call.args.slice(skip).forEach((arg) => {
    let key: string;
    let keySpan: Span;
    if (arg.name) {
      key = arg.name.name;
      keySpan = arg.name.span;
      if (!Object.hasOwn(signature.options, key)) {
        const names = Object.keys(signature.options);
        diags.push(
          error("E114", `${what} has no option '${key}'${names.length ? ` (options: ${names.join(", ")})` : ""}`, keySpan, didYouMean(key, names)),
        );
        return;
      }
    } else {
      const name = positional[nextPositional++];
      if (name === undefined) {
        diags.push(error("E113", `${what} takes ${skip + positional.length} positional argument${skip + positional.length === 1 ? "" : "s"}; name the others (key: value)`, arg.span));
        return;
      }
      key = name;
      keySpan = arg.span;
    }
    if (seen.has(key)) {
      diags.push(error("E102", `option '${key}' of ${what} is given twice`, keySpan));
      return;
    }
    seen.set(key, keySpan);
    out[key] = readValue(`${key}`, signature.options[key]!, arg.value, diags);
    // A bad value falls back to the default so later checks do not cascade.
    if (out[key] === undefined) out[key] = signature.options[key]!.default;
  });
  for (const [key, spec] of Object.entries(signature.options)) {
    if (seen.has(key)) continue;
    if (spec.default === undefined) {
      if (spec.optional) continue;
      diags.push(error("E113", `${what} needs option '${key}'`, call.span));
      continue;
    }
    out[key] = spec.default;
  }
  return out;
}
