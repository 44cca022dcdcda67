/**
 * One compiled model for every candidate group of `regnnc discover`: planned with the θ basis in a buffer
 * (PlanOptions.thetaBasis "buffer"), so moving to another kept group rewrites a few hundred numbers instead of
 * recompiling the WGSL. With a group's table in place the model trains exactly as the spec relaxed to that
 * group would (compiler/codegen/wgsl/theta.ts, thetaTableKernels, says why).
 */
import { CompiledModel, type CreateModelOptions } from "../../runtime/model/compiled-model.js";
import type { ModelPlan } from "../../runtime/model/plan.js";
import type { PointGroup } from "../o3/point-groups.js";
import { thetaBasisTable } from "../codegen/wgsl/theta.js";

export class SwappableThetaModel extends CompiledModel {
  /** `plan` must come from planModel(ir of the spec relaxed to C1, { thetaBasis: "buffer" }). */
  static async create(device: GPUDevice, plan: ModelPlan, options: CreateModelOptions = {}): Promise<SwappableThetaModel> {
    for (const t of plan.thetas) if (!plan.buffers.some((b) => b.name === `theta_basis.${t.layer}`)) throw new Error(`${plan.model}: layer '${t.layer}' has no θ basis buffer (plan with thetaBasis: "buffer")`);
    return CompiledModel.instantiate((p, e) => new SwappableThetaModel(p, e), device, plan, options);
  }

  /** Each relaxed layer's θ basis table for a kept group (in effect from the next pass on). */
  tables(group: PointGroup): Map<string, Float32Array<ArrayBuffer>> {
    const out = new Map<string, Float32Array<ArrayBuffer>>();
    for (const t of this.plan.thetas) {
      const own = this.plan.buffers.find((b) => b.name === `theta_basis.${t.layer}`)!.values!;
      out.set(t.layer, Float32Array.from(thetaBasisTable(group, t.irreps, own[0])));
    }
    return out;
  }

  /** Keeps `group` from now on: rewrites every relaxed layer's θ basis table. */
  keep(group: PointGroup): void {
    for (const [layer, table] of this.tables(group)) this.executor.write(`theta_basis.${layer}`, table);
  }

  /** Starts training afresh from `params`: optimiser moments zero, step count 0. */
  restart(params: ArrayLike<number>): void {
    this.setParams(params);
    const zeros = new Float32Array(this.plan.paramCount);
    const state = this.plan.buffers.filter((b) => b.role === "state" && b.name !== "hyper").map((b) => [b.name, zeros] as const);
    this.setTrainingState({ steps: 0, buffers: Object.fromEntries(state) });
  }
}
