/** Enforces ir.schema.json on every IR the compiler emits; a mismatch is a compiler bug, reported as such. */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import schema from "./ir.schema.json" with { type: "json" };
import type { ModelIR } from "./types.js";

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // strict mode rejects unknown keywords in the schema itself, so a typo in it fails loudly.
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(schema);
  return compiled;
}

export class InternalCompilerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InternalCompilerError";
  }
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === "" ? "(root)" : e.instancePath;
  const extra = e.keyword === "additionalProperties" ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : "";
  return `${where}: ${e.message ?? e.keyword}${extra}`;
}

/** The schema's complaints about `ir`, most specific first; empty when it conforms. */
export function schemaErrors(ir: unknown): string[] {
  const validate = validator();
  if (validate(ir)) return [];
  // oneOf failures repeat every branch's errors; the deepest paths say the most.
  const errors = [...(validate.errors ?? [])].sort((a, b) => b.instancePath.length - a.instancePath.length);
  return [...new Set(errors.map(describe))];
}

/** Throws an InternalCompilerError naming the offending field when `ir` does not match ir.schema.json. */
export function assertValidIR(ir: unknown): asserts ir is ModelIR {
  const errors = schemaErrors(ir);
  if (errors.length) {
    throw new InternalCompilerError(`internal compiler error: the IR does not match its schema at ${errors.slice(0, 3).join("; ")}`);
  }
}
