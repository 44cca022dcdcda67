/** Messages between the page and the compiler worker. Plain data only: they cross a structured clone. */
import type { Diagnostic } from "../../grammar/diagnostic.js";
import type { ModelIR } from "../../compiler/ir/types.js";
import type { ModelPlan } from "../../runtime/model/plan.js";

export interface CompileRequest {
  id: number;
  text: string;
  file: string;
  /** Also build the runtime plan (WGSL kernels included); live diagnostics skip it. */
  plan: boolean;
  /** The kernel shape for the device the plan will run on (runtime planOptionsFor: block-sum reductions on a real GPU). */
  planOptions?: { shape: "cpu" | "gpu"; maxBindingBytes: number };
}

export interface CompileResponse {
  id: number;
  diagnostics: Diagnostic[];
  ir?: ModelIR;
  plan?: ModelPlan;
  /** A compiler bug (the spec was fine but a later stage failed), as its message. */
  internalError?: string;
  millis: number;
}
