/** Pooling nodes into their graph's row (sum or mean), and its backward: each node reads its graph's gradient. */
import type { LayerOf } from "../../ir/types.js";
import { poolKernels } from "../wgsl/pool.js";
import type { LayerPlanner } from "./planner.js";

export const poolPlanner: LayerPlanner<LayerOf<"pool">> = {
  forward(ctx, layer) {
    const L = layer.name;
    const k = poolKernels(ctx.colsOfValue(L), layer.reduce).forward;
    ctx.b.step("forward", `${L}.forward`, k, "graphs", { x: `v.${layer.inputs[0]!}`, out: `v.${L}`, graph_node_offsets: "graph_node_offsets" });
  },
  backward(ctx, layer, gOut) {
    const L = layer.name;
    const g = ctx.grad(layer.inputs[0]!);
    const k = poolKernels(ctx.colsOfValue(L), layer.reduce).backward;
    if (g) ctx.b.step("backward", `${L}.backward`, k, "nodes", { grad_out: gOut, grad_x: g, node_graph: "node_graph", ...(layer.reduce === "mean" ? { graph_node_offsets: "graph_node_offsets" } : {}) });
  },
};
