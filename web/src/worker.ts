/**
 * The compiler front end in a Web Worker: grammar, checker, IR (validated against its schema), and on
 * request the plan with its WGSL kernels. Keeps the editor responsive while a large spec compiles.
 */
import { compileSource } from "../../compiler/compile.js";
import { planModel } from "../../compiler/codegen/plan.js";
import type { CompileRequest, CompileResponse } from "./protocol.js";

self.addEventListener("message", (event: MessageEvent<CompileRequest>) => {
  const { id, text, file, plan, planOptions } = event.data;
  const start = performance.now();
  let response: CompileResponse;
  try {
    const result = compileSource(text, file);
    response = { id, diagnostics: result.diagnostics, millis: 0 };
    if (result.ir) {
      response.ir = result.ir;
      if (plan) response.plan = planModel(result.ir, planOptions ?? {});
    }
  } catch (e) {
    response = { id, diagnostics: [], internalError: e instanceof Error ? `${e.name}: ${e.message}` : String(e), millis: 0 };
  }
  response.millis = performance.now() - start;
  (self as unknown as Worker).postMessage(response);
});
