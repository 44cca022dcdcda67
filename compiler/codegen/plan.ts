/**
 * Planning: the IR to a ModelPlan, the runtime's executable form. Each value gets a buffer (`v.<name>`) and,
 * where a gradient flows, a gradient buffer (`g.<name>`, zeroed before every backward pass); layers get
 * scratch buffers (`s.<layer>.<what>`). A wide fused-conv output read only by linear layers is stored as
 * column groups instead (`v.<name>@<k>`, `g.<name>@<k>`; column-groups.ts), so it binds under the device's
 * storage-binding limit at large N. The forward pass runs the layers in the IR's order; the backward pass
 * runs the loss, then every layer's backward in reverse. Reductions (shared weights, broadcast operands,
 * gathers) are separate deterministic kernels: no float atomics anywhere.
 */
import { modelUsesEdges } from "../ir/uses-edges.js";
import type { ModelPlan, Extent } from "../../runtime/model/plan.js";
import type { LayerIR, ModelIR, RadialMlpIR, TensorProductIR } from "../ir/types.js";
import { Irreps } from "../o3/irreps.js";
import { thetaLayout, scalarCoefficients } from "../nn/theta-layout.js";
import { PlanBuilder } from "./plan-builder.js";
import { gatherBackwardKernel, addRowsKernel, segmentSumKernels } from "./wgsl/aggregate.js";
import { radialBasisKernels, sphericalHarmonicsKernels } from "./wgsl/edge-geometry.js";
import { lossKernels } from "./wgsl/loss.js";
import { gateKernels } from "./wgsl/pointwise-gate.js";
import { normKernels, normWeightCount } from "./wgsl/pointwise-norm.js";
import { addKernels, concatPieceKernels } from "./wgsl/pointwise.js";
import { poolKernels } from "./wgsl/pool.js";
import { adamKernel, sgdKernel } from "./wgsl/optimizer.js";
import { radialMlpKernels } from "./wgsl/radial-mlp.js";
import { isPlainLinear, linearBackwardInputSteps, linearForwardSteps, linearWeightGradSteps } from "./wgsl/linear.js";
import { tableMlpKernels } from "./wgsl/radial-table-mlp.js";
import { fusedConvBackwardInputKernel, fusedConvForwardKernel, fusedConvPathCount, fusedConvWeightPartialKernel } from "./wgsl/conv-fused.js";
import { radialInterpolateKernel, radialStencilKernel, radialTableApplies, radialTableCells, radialTableChunks, radialTableEmbedding, radialTablePartialKernel, radialTableReduceKernel, STENCIL_COLS } from "./wgsl/radial-table.js";
import { columnSumKernel } from "./wgsl/reduce.js";
import { blockSumPlan, type BlockSource } from "./wgsl/block-sum.js";
import { PLANNED_NODES, reductionShape, type ReductionShape } from "./reduction-shape.js";
import { columnGroups, groupOf, type Columns } from "./column-groups.js";
import { layerThetaBlocks, thetaKernels, thetaProximalKernel, thetaRegularizationKernel, thetaTableKernels } from "./wgsl/theta.js";
import { tensorProductBackwardWGSL, tensorProductBindings, tensorProductForwardWGSL, tensorProductTable, type TensorProductKernelOptions } from "./wgsl/tensor-product.js";

const DOMAIN_EXTENT = { node: "nodes", edge: "edges", graph: "graphs" } as const;

const dimOf = (irreps: string) => Irreps.parse(irreps).dim;

export interface PlanOptions {
  /** Also compute gradients with respect to the model's feature inputs (not the positions). Default true. */
  inputGradients?: boolean;
  /**
   * A fused conv's output wider than this many columns, read only by plain linear layers, is stored (with its
   * gradient) as column groups of whole irrep blocks, one buffer each (`v.<name>@<k>`, `g.<name>@<k>`), so
   * no binding outgrows the device's storage-binding limit on large batches. Default 256 (the benchmark's
   * 592-column mid irreps become 3 groups, each under 128 MiB up to ~130k nodes), or from `maxBindingBytes`
   * when given and larger: as many columns as a million nodes' rows bind (2 GiB: 536).
   */
  splitCols?: number;
  /**
   * "baked" (default): each relaxed layer's θ basis is compiled into its kernels. "buffer": the basis is read
   * from a constant buffer `theta_basis.<layer>` (wgsl/theta.ts, thetaTableKernels), so the kept group can be
   * swapped by rewriting that buffer without recompiling; needs a model relaxed to C1 (the full coefficient
   * layout). `regnnc discover` plans this way.
   */
  thetaBasis?: "baked" | "buffer";
  /**
   * How reductions over nodes and edges (weight gradients, the loss) run. "cpu" (default): one invocation
   * per output value loops over every row: few, long invocations, right for lavapipe and SwiftShader. "gpu":
   * fixed-size blocks of rows, then a tree of block sums (block-sum.ts): no invocation's loop grows with the
   * batch, as a real GPU needs. Both are deterministic (a fixed summation order for a given batch).
   */
  shape?: "cpu" | "gpu";
  /**
   * The device's maxStorageBufferBindingSize in bytes (default 128 MiB, lavapipe's): sizes the GPU shape's
   * edge chunks so that their partial tables bind for up to 2^24 edges.
   */
  maxBindingBytes?: number;
  /**
   * The GPU shape's first-level block sizes, overriding those derived from the device (tests set them small
   * so that a few nodes and edges already span several blocks): nodes per block, edges per chunk.
   */
  gpuBlocks?: { nodes: number; edges: number };
}

export function planModel(ir: ModelIR, options: PlanOptions = {}): ModelPlan {
  const b = new PlanBuilder(ir);
  const paramOffset = new Map(ir.params.map((p) => [p.name, p.offset] as const));
  const offsetOf = (name: string) => {
    const o = paramOffset.get(name);
    if (o === undefined) throw new Error(`plan: the IR has no parameter '${name}'`);
    return o;
  };
  const count = (n: number): Extent => ({ count: Math.max(1, n) });
  const tables = new Map<string, string>();
  const shape: ReductionShape | undefined = options.shape === "gpu" ? reductionShape(options.maxBindingBytes, options.gpuBlocks) : undefined;

  // --- shared buffers ------------------------------------------------------------------------------
  b.buffer({ name: "params", rows: count(ir.paramCount), cols: 1, type: "f32", role: "params" });
  b.buffer({ name: "grad_params", rows: count(ir.paramCount), cols: 1, type: "f32", role: "gradient" });
  b.buffer({ name: "one", rows: { count: 1 }, cols: 1, type: "f32", role: "constant", values: [1] });
  // One regulariser value per relaxed layer, summed on the host with the loss.
  const relaxedLayers = ir.layers.filter((l) => l.op === "relaxed_conv" || l.op === "relaxed_node").length;
  b.buffer({ name: "reg", rows: { count: Math.max(1, relaxedLayers) }, cols: 1, type: "f32", role: "gradient" });
  for (const [name, rows, extra] of [
    ["edge_src", "edges", 0], ["edge_dst", "edges", 0], ["dst_offsets", "nodes", 1], ["src_offsets", "nodes", 1],
    ["src_edges", "edges", 0], ["node_graph", "nodes", 0], ["graph_node_offsets", "graphs", 1],
  ] as const) {
    b.buffer({ name, rows, cols: 1, type: "u32", role: "input", ...(extra ? { extraRows: extra } : {}) });
  }

  // --- values and their gradients -------------------------------------------------------------------
  const fused = (l: Extract<LayerIR, { op: "conv" }>) => !!ir.graph.positions && radialTableApplies(ir.edgeAttrs.find((e) => e.name === l.inputs[2]), l.radial);
  const splits = splitValues(ir, options.splitCols ?? splitColsFor(options.maxBindingBytes), fused);
  const domainOf = new Map<string, Extent>();
  const colsOf = new Map<string, number>();
  const valueBuffer = (name: string, irreps: string, domain: "node" | "edge" | "graph", role: "input" | "scratch") => {
    domainOf.set(name, DOMAIN_EXTENT[domain]);
    colsOf.set(name, dimOf(irreps));
    const groups = splits.get(name);
    if (groups) {
      groups.forEach((g, k) => b.buffer({ name: `v.${name}@${k}`, rows: DOMAIN_EXTENT[domain], cols: g.cols, type: "f32", role: "scratch" }));
      return;
    }
    b.buffer({ name: `v.${name}`, rows: DOMAIN_EXTENT[domain], cols: dimOf(irreps), type: "f32", role, ...(role === "input" ? { source: name } : {}) });
  };
  for (const f of ir.inputs) valueBuffer(f.name, f.irreps, f.domain, "input");
  for (const t of ir.targets) valueBuffer(t.name, t.irreps, t.domain, "input");
  for (const e of ir.edgeAttrs) valueBuffer(e.name, e.irreps, "edge", "scratch");
  for (const l of ir.layers) valueBuffer(l.name, l.irrepsOut, l.domain, "scratch");
  const wantsGradient = (name: string) =>
    name !== ir.graph.positions && !ir.edgeAttrs.some((e) => e.name === name) && !ir.targets.some((t) => t.name === name) && (options.inputGradients !== false || !ir.inputs.some((i) => i.name === name));
  const grad = (name: string): string | undefined => {
    if (!wantsGradient(name)) return undefined;
    if (splits.has(name)) throw new Error(`plan: '${name}' is split into column groups (use gradParts)`);
    const g = `g.${name}`;
    b.buffer({ name: g, rows: domainOf.get(name)!, cols: colsOf.get(name)!, type: "f32", role: "gradient" });
    return g;
  };
  /** A split value's gradient buffers, one per column group (undefined when no gradient flows). */
  const gradParts = (name: string): string[] | undefined => {
    if (!wantsGradient(name)) return undefined;
    return splits.get(name)!.map((g, k) => b.buffer({ name: `g.${name}@${k}`, rows: domainOf.get(name)!, cols: g.cols, type: "f32", role: "gradient" }));
  };
  /** The buffer of a linear step's input column group: the whole value's unless it is split. */
  const part = (prefix: "v" | "g", name: string, group: number) => (splits.has(name) ? `${prefix}.${name}@${group}` : `${prefix}.${name}`);
  const scratch = (name: string, rows: Extent, cols: number, role: "scratch" | "gradient" = "scratch") =>
    b.buffer({ name, rows, cols: Math.max(1, cols), type: "f32", role });

  // --- edge attributes ------------------------------------------------------------------------------
  const pos = ir.graph.positions;
  // Graphs built from positions may connect periodic images (GraphInput.cell): their edges carry a shift.
  const shifted = ir.graph.mode === "radius" || ir.graph.mode === "knn";
  if (shifted && ir.edgeAttrs.length > 0) b.buffer({ name: "edge_shift", rows: "edges", cols: 3, type: "f32", role: "input", source: "edge_shift" });
  for (const attr of ir.edgeAttrs) {
    if (!pos) throw new Error(`plan: edge attribute '${attr.name}' needs positions`);
    const k = attr.op === "spherical_harmonics" ? sphericalHarmonicsKernels(attr, { shift: shifted }) : radialBasisKernels(attr, { shift: shifted });
    const out = attr.op === "spherical_harmonics" ? "y" : "emb";
    b.step("forward", `${attr.name}.forward`, k.forward, "edges", { pos: `v.${pos}`, [out]: `v.${attr.name}`, src: "edge_src", dst: "edge_dst", ...(shifted ? { shift: "edge_shift" } : {}) });
  }

  // --- layers, forward ------------------------------------------------------------------------------
  /** Adds a tensor-product forward step; returns nothing (the output buffer is given). */
  const tpForward = (label: string, tp: TensorProductIR, opts: TensorProductKernelOptions, bind: { x1: string; x2: string; weight: string; out: string }, rows: Extent) => {
    const kernel = { code: tensorProductForwardWGSL(tp, opts), bindings: tensorProductBindings("forward", opts) };
    b.step("forward", label, kernel, rows, { ...bind, tp_table: tableOf(tp), ...(opts.x1 === "gather" ? { idx1: "edge_src" } : {}) });
  };
  /** The constant path / Wigner 3j table of a tensor product, shared by its forward and backward. */
  function tableOf(tp: TensorProductIR): string {
    const values = Array.from(tensorProductTable(tp));
    const name = `tp_table.${tables.size}`;
    const key = JSON.stringify(values);
    if (!tables.has(key)) {
      tables.set(key, name);
      b.buffer({ name, rows: { count: values.length }, cols: 1, type: "f32", role: "constant", values });
    }
    return tables.get(key)!;
  }

  /** A linear kernel's constant table (linear.ts). */
  function linTable(label: string, values: number[]): string {
    return b.buffer({ name: `lin_table.${label}`, rows: { count: values.length }, cols: 1, type: "f32", role: "constant", values });
  }

  /** A linear layer is the tensor product with the constant 1x0e (broadcast); a self-connection's with its attribute. */
  function linearOperands(layer: Extract<LayerIR, { op: "linear" | "self_connection" }>): { attr: string; opts: TensorProductKernelOptions } {
    const attr = layer.op === "self_connection" && layer.attr ? `v.${layer.attr}` : "one";
    return { attr, opts: { x2: attr === "one" ? "broadcast" : "row", weightOffset: offsetOf(layer.params[0]!) } };
  }

  for (const layer of ir.layers) planForward(layer);

  function planForward(layer: LayerIR): void {
    const L = layer.name, out = `v.${L}`, rows = domainOf.get(L)!;
    const x = layer.inputs[0]!;
    switch (layer.op) {
      case "linear":
      case "self_connection": {
        const { attr, opts } = linearOperands(layer);
        if (attr === "one" && isPlainLinear(layer.tp)) {
          linearForwardSteps(layer.tp, opts.weightOffset!, splits.get(x)).forEach((st, i) => b.step("forward", `${L}.forward.${i}`, st.kernel, rows, { input: part("v", x, st.group), model_params: "params", lin_table: linTable(`${L}.forward.${i}`, st.table), output: out }));
          return;
        }
        tpForward(`${L}.forward`, layer.tp, opts, { x1: `v.${x}`, x2: attr, weight: "params", out }, rows);
        return;
      }
      case "conv": {
        const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
        if (radialTable(layer.radial, emb)) {
          const { table, stencil } = radialTableForward(L, layer.radial, emb);
          const groups = splits.get(L);
          for (let p = 0; p < fusedConvPathCount(layer.tp); p++) {
            const k = groups ? convGroupOf(layer.tp, groups, p) : undefined;
            const kernel = fusedConvForwardKernel(layer.tp, 1 / Math.sqrt(layer.numNeighbors), p, k === undefined ? undefined : groups![k]);
            b.step("forward", `${L}.conv.p${p}`, kernel, "nodes", only(kernel, { x1: `v.${x}`, x2: `v.${sh}`, stencil, table, table4: table, out: k === undefined ? out : `${out}@${k}`, dst_offsets: "dst_offsets", edge_src: "edge_src" }));
          }
          return;
        }
        const weights = radialForward(L, layer.radial, emb);
        const msg = scratch(`s.${L}.msg`, "edges", dimOf(layer.irrepsOut));
        tpForward(`${L}.tp`, layer.tp, { x1: "gather" }, { x1: `v.${x}`, x2: `v.${sh}`, weight: weights, out: msg }, "edges");
        const seg = segmentSumKernels(dimOf(layer.irrepsOut), 1 / Math.sqrt(layer.numNeighbors));
        b.step("forward", `${L}.sum`, seg.forward, "nodes", { msg, out, dst_offsets: "dst_offsets" });
        return;
      }
      case "gate":
        b.step("forward", `${L}.forward`, gateKernels(layer).forward, rows, { x: `v.${x}`, out });
        return;
      case "norm":
        b.step("forward", `${L}.forward`, normKernels(irrepsOf(x), layer.eps, offsetOf(layer.params[0]!)).forward, rows, { x: `v.${x}`, weight: "params", out });
        return;
      case "pool":
        b.step("forward", `${L}.forward`, poolKernels(colsOf.get(L)!, layer.reduce).forward, "graphs", { x: `v.${x}`, out, graph_node_offsets: "graph_node_offsets" });
        return;
      case "add":
        b.step("forward", `${L}.forward`, addKernels(colsOf.get(L)!).forward, rows, { a: `v.${x}`, b: `v.${layer.inputs[1]!}`, out });
        return;
      case "concat": {
        const dims = layer.inputs.map((n) => colsOf.get(n)!);
        layer.inputs.forEach((n, k) => b.step("forward", `${L}.piece${k}`, concatPieceKernels(dims, k).forward, rows, { x: `v.${n}`, out }));
        return;
      }
      case "relaxed_node": {
        const theta = thetaForward(L, layer.theta, layer.thetaIrreps);
        tpForward(`${L}.forward`, layer.tp, { x2: "broadcast", weightOffset: offsetOf(layer.params[1]!) }, { x1: `v.${x}`, x2: theta, weight: "params", out }, rows);
        return;
      }
      case "relaxed_conv": {
        const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
        const theta = thetaForward(L, layer.theta, layer.thetaIrreps);
        const weights = radialForward(L, layer.radial, emb);
        const f = scratch(`s.${L}.F`, "edges", dimOf(layer.thetaIrreps));
        tpForward(`${L}.tp_theta`, layer.tpTheta, { x1: "broadcast", weightOffset: offsetOf(layer.params[1]!) }, { x1: theta, x2: `v.${sh}`, weight: "params", out: f }, "edges");
        const msg = scratch(`s.${L}.msg`, "edges", dimOf(layer.irrepsOut));
        tpForward(`${L}.tp_message`, layer.tpMessage, { x1: "gather" }, { x1: `v.${x}`, x2: f, weight: weights, out: msg }, "edges");
        const seg = segmentSumKernels(dimOf(layer.irrepsOut), 1 / Math.sqrt(layer.numNeighbors));
        b.step("forward", `${L}.sum`, seg.forward, "nodes", { msg, out, dst_offsets: "dst_offsets" });
        return;
      }
    }
  }

  function irrepsOf(name: string): string {
    const f = ir.inputs.find((i) => i.name === name) ?? ir.layers.find((l) => l.name === name);
    if (!f) throw new Error(`plan: no value '${name}'`);
    return "irreps" in f ? f.irreps : f.irrepsOut;
  }

  /** The radial table of layer L's MLP when its embedding qualifies (radial-table.ts), else undefined. */
  function radialTable(mlp: RadialMlpIR, emb: string) {
    const attr = ir.edgeAttrs.find((e) => e.name === emb);
    if (!pos || !radialTableApplies(attr, mlp)) return undefined;
    const cells = radialTableCells(attr);
    const cols = mlp.sizes[mlp.sizes.length - 1]!;
    return { attr, cells, cols, nodes: { count: cells + 1 }, mlp: tableMlpKernels(mlp, mlp.params.map(offsetOf), cells + 1) };
  }

  /** The MLP's table `s.<L>.table` over the grid, and each edge's stencil `s.<L>.stencil`. */
  function radialTableForward(L: string, mlp: RadialMlpIR, emb: string): { table: string; stencil: string } {
    const table = radialTable(mlp, emb)!;
    const grid = b.buffer({ name: `s.${L}.grid_emb`, rows: table.nodes, cols: mlp.sizes[0]!, type: "f32", role: "constant", values: radialTableEmbedding(table.attr, table.cells) });
    const t = scratch(`s.${L}.table`, table.nodes, table.cols);
    const bind = { emb: grid, model_params: "params", out: t, hidden: scratch(`s.${L}.table_hidden`, table.nodes, table.mlp.hiddenSize), acts: scratch(`s.${L}.table_acts`, table.nodes, table.mlp.hiddenSize) };
    table.mlp.forward.forEach((k, i) => b.step("forward", `${L}.radial.table.${i}`, k, k.rows, only(k, bind)));
    const stencil = scratch(`s.${L}.stencil`, "edges", STENCIL_COLS);
    b.step("forward", `${L}.radial.stencil`, radialStencilKernel(table.attr, table.cells, { shift: shifted }), "edges", { pos: `v.${pos}`, stencil, src: "edge_src", dst: "edge_dst", ...(shifted ? { shift: "edge_shift" } : {}) });
    return { table: t, stencil };
  }

  /** From the chunks' partial tables: the table's gradient, then the MLP's backward on the grid. */
  function radialTableBackward(L: string, table: NonNullable<ReturnType<typeof radialTable>>, partial: string, chunks: number, chunkEdges?: number): void {
    const gTable = scratch(`s.${L}.grad_table`, table.nodes, table.cols);
    if (chunkEdges) blockSum(`${L}.radial.table_reduce`, partial, (table.cells + 1) * table.cols, { per: "edges", block: chunkEdges }, gTable, 0, false);
    else b.step("backward", `${L}.radial.table_reduce`, radialTableReduceKernel(table.cells, table.cols, chunks), { count: (table.cells + 1) * table.cols }, { partial, grad_table: gTable });
    const bind = { emb: `s.${L}.grid_emb`, acts: `s.${L}.table_acts`, hidden: `s.${L}.table_hidden`, model_params: "params", grad_out: gTable, delta: scratch(`s.${L}.table_delta`, table.nodes, table.mlp.hiddenSize), grad_params: "grad_params" };
    table.mlp.backward.forEach((k, i) => b.step("backward", `${L}.radial.table_backward.${i}`, k, k.rows, only(k, bind)));
  }

  /** The entries of `bind` a kernel declares (generators declare only the bindings they use). */
  function only(k: { bindings: readonly string[] }, bind: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(bind).filter(([name]) => k.bindings.includes(name)));
  }

  /** The radial MLP of layer L on edge embedding `emb`; returns the buffer of its per-edge weights. */
  function radialForward(L: string, mlp: RadialMlpIR, emb: string): string {
    if (radialTable(mlp, emb)) {
      const { table, stencil } = radialTableForward(L, mlp, emb);
      const out = scratch(`s.${L}.radial`, "edges", b.cols(table));
      b.step("forward", `${L}.radial`, radialInterpolateKernel(b.cols(table)), "edges", { stencil, table, out });
      return out;
    }
    const k = radialMlpKernels(mlp, mlp.params.map(offsetOf));
    const out = scratch(`s.${L}.radial`, "edges", mlp.sizes[mlp.sizes.length - 1]!);
    const bind: Record<string, string> = { emb: `v.${emb}`, model_params: "params", out };
    if (k.hiddenSize > 0) bind.hidden = scratch(`s.${L}.hidden`, "edges", k.hiddenSize);
    b.step("forward", `${L}.radial`, k.forward, "edges", bind);
    return out;
  }

  function radialBackward(L: string, mlp: RadialMlpIR, emb: string, gradOut: string): void {
    const table = radialTable(mlp, emb);
    if (table) {
      const chunks = radialTableChunks(table.cells, table.cols);
      const chunkEdges = shape?.chunkEdges((table.cells + 1) * table.cols);
      const partial = scratch(`s.${L}.table_partial`, chunkEdges ? { per: "edges", block: chunkEdges, times: table.cells + 1 } : { count: chunks * (table.cells + 1) }, table.cols);
      const k = radialTablePartialKernel(table.cells, table.cols, chunks, chunkEdges);
      b.step("backward", `${L}.radial.table_partial`, k, k.rows as Extent, { stencil: `s.${L}.stencil`, grad_rows: gradOut, partial });
      radialTableBackward(L, table, partial, chunks, chunkEdges);
      return;
    }
    const k = radialMlpKernels(mlp, mlp.params.map(offsetOf));
    tableMlpBackward(L, k, gradOut, `v.${emb}`, "edges", `s.${L}.hidden`);
  }

  /** The MLP's backward on its rows (edges, or the table's grid nodes): deltas, then weight gradients. */
  function tableMlpBackward(L: string, k: ReturnType<typeof radialMlpKernels>, gradOut: string, emb: string, rows: Extent, hiddenBuffer: string): void {
    const hidden: Record<string, string> = k.hiddenSize > 0 ? { hidden: hiddenBuffer } : {};
    const delta = scratch(`s.${L}.delta`, rows, k.deltaSize);
    // The embedding's gradient only matters for positions, which are not differentiated: a write-only sink.
    const sink = scratch(`s.${L}.grad_emb`, rows, b.cols(emb));
    b.step("backward", `${L}.radial.backward`, k.backward, rows, { ...hidden, model_params: "params", grad_out: gradOut, delta, grad_emb: sink });
    b.step("backward", `${L}.radial.grad_weight`, k.weightGrad, { count: k.weightCount }, { emb, ...hidden, delta, grad_params: "grad_params" });
  }

  /** θ's kernels for layer L: the basis baked in, or read from `theta_basis.<L>` (PlanOptions.thetaBasis). */
  function thetaKernelsOf(L: string, theta: string, thetaIrreps: string): { k: ReturnType<typeof thetaKernels>; basis: Record<string, string> } {
    const { blocks, mul } = layerThetaBlocks(ir, thetaIrreps);
    if (options.thetaBasis !== "buffer") return { k: thetaKernels(blocks, mul, offsetOf(theta)), basis: {} };
    const k = thetaTableKernels(blocks, mul, offsetOf(theta));
    // The IR's own (C1) basis, written the way thetaBasisTable writes any group's.
    const values = blocks.flatMap((blk) => blk.basis.flat());
    if (values.length !== k.tableSize) throw new Error(`plan: θ basis of '${L}' has ${values.length} numbers, the table ${k.tableSize}`);
    return { k, basis: { theta_basis: b.buffer({ name: `theta_basis.${L}`, rows: { count: k.tableSize }, cols: 1, type: "f32", role: "constant", values }) } };
  }

  /** θ = B c for a relaxed layer, into `s.<L>.theta`. */
  function thetaForward(L: string, theta: string, thetaIrreps: string): string {
    const { k, basis } = thetaKernelsOf(L, theta, thetaIrreps);
    const buf = scratch(`s.${L}.theta`, { count: k.thetaDim }, 1);
    b.step("forward", `${L}.theta`, k.forward, { count: k.thetaDim }, { model_params: "params", ...basis, theta: buf });
    return buf;
  }

  let regSlots = 0;
  /** Group lasso's proximal steps, one per relaxed layer, run after the optimiser's step. */
  const proximal: { label: string; kernel: NonNullable<ReturnType<typeof thetaProximalKernel>> }[] = [];
  /** dL/dc from dL/dθ (plus the smooth regularisers' gradient, and every regulariser's value). */
  function thetaBackward(L: string, theta: string, thetaIrreps: string, gradTheta: string): void {
    const { blocks, mul } = layerThetaBlocks(ir, thetaIrreps);
    const { k, basis } = thetaKernelsOf(L, theta, thetaIrreps);
    const reg = thetaRegularizationKernel(blocks, mul, ir.train.regularize, regSlots);
    if (reg) {
      const smooth = thetaRegularizationKernel(blocks, mul, ir.train.regularize.filter((r) => r.kind !== "group_lasso"), regSlots);
      regSlots++;
      if (smooth) b.step("backward", `${L}.regularize`, smooth.grad, { count: k.thetaDim }, { theta: `s.${L}.theta`, grad_theta: gradTheta });
      b.step("backward", `${L}.regularize.value`, reg.value, { count: 1 }, { theta: `s.${L}.theta`, reg: "reg" });
    }
    const lasso = ir.train.regularize.filter((r) => r.kind === "group_lasso").reduce((s, r) => s + r.weight, 0);
    const prox = thetaProximalKernel(blocks, mul, offsetOf(theta), lasso);
    if (prox) proximal.push({ label: `${L}.group_lasso`, kernel: prox });
    b.step("backward", `${L}.theta.backward`, k.backward, { count: k.coefficients }, { ...basis, grad_theta: gradTheta, grad_params: "grad_params" });
  }

  /** Tensor-product backward into per-row scratch gradients; returns their buffer names. */
  function tpBackward(label: string, tp: TensorProductIR, opts: TensorProductKernelOptions, bind: { x1: string; x2: string; weight: string; grad_out: string }, rows: Extent, prefix: string) {
    const gx1 = scratch(`${prefix}.gx1`, rows, dimOf(tp.irrepsIn1));
    const gx2 = scratch(`${prefix}.gx2`, rows, dimOf(tp.irrepsIn2));
    const gw = scratch(`${prefix}.gw`, rows, tp.weightNumel);
    const kernel = { code: tensorProductBackwardWGSL(tp, opts), bindings: tensorProductBindings("backward", opts) };
    b.step("backward", label, kernel, rows, { ...bind, tp_table: tableOf(tp), grad_x1: gx1, grad_x2: gx2, grad_weight: gw, ...(opts.x1 === "gather" ? { idx1: "edge_src" } : {}) });
    return { gx1, gx2, gw };
  }

  /**
   * A plain linear layer's weight gradient. GPU shape: per block of nodes into a partial buffer (one row
   * per block, the layer's weights as columns), then a tree of block sums into grad_params.
   */
  function linearWeightGrad(L: string, tp: TensorProductIR, weightOffset: number, x: string, gOut: string, rows: Extent): void {
    if (typeof rows !== "string") throw new Error(`plan: linear layer '${L}' ranges over a fixed count of rows`);
    const blocked = shape ? rows : undefined;
    const partial = blocked && scratch(`s.${L}.grad_weight_partial`, { per: blocked, block: shape!.nodeBlock, times: 1 }, tp.weightNumel);
    linearWeightGradSteps(tp, weightOffset, rows, splits.get(x), blocked && { block: shape!.nodeBlock }).forEach((st, i) => {
      const dispatch: Extent = blocked ? { per: blocked, block: shape!.nodeBlock, times: st.rows! } : { count: st.rows! };
      b.step("backward", `${L}.grad_weight.${i}`, st.kernel, dispatch, { x: part("v", x, st.group), grad_out: gOut, lin_table: linTable(`${L}.grad_weight.${i}`, st.table), grad_params: partial || "grad_params" });
    });
    if (blocked) blockSum(`${L}.grad_weight`, partial!, tp.weightNumel, { per: blocked, block: shape!.nodeBlock }, "grad_params", weightOffset, false);
  }

  /** Column sums of per-row gradients into a parameter's gradient (assign) or a scratch vector. */
  function columnSum(label: string, src: string, cols: number, rows: Extent, dst: string, offset: number, accumulate = false): void {
    if (cols === 0) return;
    if (shape && typeof rows === "string") return blockSum(label, src, cols, { per: rows, block: 1 }, dst, offset, accumulate);
    b.step("backward", label, columnSumKernel(cols, rows, offset, accumulate), { count: cols }, { src, dst });
  }

  /** The GPU shape's column sum: a tree of block sums (block-sum.ts); the last level is step `label`. */
  function blockSum(label: string, src: string, cols: number, source: BlockSource, dst: string, offset: number, accumulate: boolean, factor?: string): void {
    const p = blockSumPlan(cols, source, offset, accumulate, `s.${label}.sum`, factor);
    for (const s of p.scratch) scratch(s.name, s.rows as Extent, cols);
    p.levels.forEach((l, i) => {
      const name = i === p.levels.length - 1 ? label : `${label}.level${i}`;
      b.step("backward", name, l.kernel, l.rows as Extent, { src: l.from === "src" ? src : l.from, dst: l.to === "dst" ? dst : l.to });
    });
  }

  // --- loss and backward ----------------------------------------------------------------------------
  const loss = ir.train.loss;
  if (loss) {
    const out = ir.outputs.find((o) => o.name === loss.output)!;
    const src = out.source, target = loss.target;
    const k = lossKernels(loss.kind, dimOf(out.irreps), domainOf.get(src)!);
    scratch("s.loss.partial", domainOf.get(src)!, 1);
    b.buffer({ name: "loss", rows: { count: 1 }, cols: 1, type: "f32", role: "scratch" });
    b.step("backward", "loss.partial", k.partial, domainOf.get(src)!, { y: `v.${src}`, y_target: `v.${target}`, partial: "s.loss.partial" });
    const lossRows = domainOf.get(src)!;
    if (shape && typeof lossRows === "string") blockSum("loss.total", "s.loss.partial", 1, { per: lossRows, block: 1 }, "loss", 0, false, k.factor);
    else b.step("backward", "loss.total", k.total, { count: 1 }, { partial: "s.loss.partial", loss: "loss" });
    const gy = grad(src);
    if (gy) b.step("backward", "loss.backward", k.backward, domainOf.get(src)!, { y: `v.${src}`, y_target: `v.${target}`, grad_y: gy });
  }

  for (const layer of [...ir.layers].reverse()) planBackward(layer);

  function planBackward(layer: LayerIR): void {
    const L = layer.name, rows = domainOf.get(L)!;
    if (splits.has(L)) {
      const parts = gradParts(L);
      if (parts) fusedConvBackward(layer as Extract<LayerIR, { op: "conv" }>, parts, splits.get(L));
      return;
    }
    const gOut = grad(L);
    if (!gOut) return;
    const x = layer.inputs[0]!;
    switch (layer.op) {
      case "linear":
      case "self_connection": {
        const { attr, opts } = linearOperands(layer);
        if (attr === "one" && isPlainLinear(layer.tp)) {
          linearWeightGrad(L, layer.tp, opts.weightOffset!, x, gOut, rows);
          const whole = splits.has(x) ? undefined : grad(x);
          const gx = splits.has(x) ? gradParts(x) : whole && [whole];
          if (gx) linearBackwardInputSteps(layer.tp, opts.weightOffset!, splits.get(x)).forEach((st, i) => b.step("backward", `${L}.backward.${i}`, st.kernel, rows, { input: gOut, model_params: "params", lin_table: linTable(`${L}.backward.${i}`, st.table), output: gx[st.group]! }));
          return;
        }
        const g = tpBackward(`${L}.backward`, layer.tp, opts, { x1: `v.${x}`, x2: attr, weight: "params", grad_out: gOut }, rows, `s.${L}`);
        columnSum(`${L}.grad_weight`, g.gw, layer.tp.weightNumel, rows, "grad_params", offsetOf(layer.params[0]!));
        addInto(x, g.gx1, rows);
        if (layer.op === "self_connection" && layer.attr) addInto(layer.attr, g.gx2, rows);
        return;
      }
      case "conv": {
        const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
        if (radialTable(layer.radial, emb)) {
          fusedConvBackward(layer, [gOut]);
          return;
        }
        const gmsg = scratch(`s.${L}.gmsg`, "edges", dimOf(layer.irrepsOut), "gradient");
        b.step("backward", `${L}.sum.backward`, segmentSumKernels(dimOf(layer.irrepsOut), 1 / Math.sqrt(layer.numNeighbors)).backward, "edges", { grad_out: gOut, grad_msg: gmsg, edge_dst: "edge_dst" });
        const g = tpBackward(`${L}.tp.backward`, layer.tp, { x1: "gather" }, { x1: `v.${x}`, x2: `v.${sh}`, weight: `s.${L}.radial`, grad_out: gmsg }, "edges", `s.${L}.tp`);
        gatherInto(x, g.gx1);
        radialBackward(L, layer.radial, emb, g.gw);
        return;
      }
      case "gate": {
        const g = grad(x);
        if (g) b.step("backward", `${L}.backward`, gateKernels(layer).backward, rows, { x: `v.${x}`, grad_out: gOut, grad_x: g });
        return;
      }
      case "norm": {
        const k = normKernels(irrepsOf(x), layer.eps, offsetOf(layer.params[0]!));
        const n = normWeightCount(irrepsOf(x));
        const gwr = scratch(`s.${L}.gw`, rows, n);
        const g = grad(x) ?? scratch(`s.${L}.gx`, rows, colsOf.get(x)!, "gradient");
        b.step("backward", `${L}.backward`, k.backward, rows, { x: `v.${x}`, weight: "params", grad_out: gOut, grad_x: g, grad_weight_rows: gwr });
        columnSum(`${L}.grad_weight`, gwr, n, rows, "grad_params", offsetOf(layer.params[0]!));
        return;
      }
      case "pool": {
        const g = grad(x);
        const k = poolKernels(colsOf.get(L)!, layer.reduce).backward;
        if (g) b.step("backward", `${L}.backward`, k, "nodes", { grad_out: gOut, grad_x: g, node_graph: "node_graph", ...(layer.reduce === "mean" ? { graph_node_offsets: "graph_node_offsets" } : {}) });
        return;
      }
      case "add": {
        if (layer.inputs[0] === layer.inputs[1]) {
          // add(a, a): one gradient buffer cannot be bound twice for writing; add the rows twice instead.
          addInto(x, gOut, rows);
          addInto(x, gOut, rows);
          return;
        }
        const [ga, gb] = [grad(x), grad(layer.inputs[1]!)];
        const k = addKernels(colsOf.get(L)!).backward;
        const sink = (g: string | undefined, n: string) => g ?? scratch(`s.${L}.sink.${n}`, rows, colsOf.get(n)!, "gradient");
        b.step("backward", `${L}.backward`, k, rows, { grad_out: gOut, grad_a: sink(ga, x), grad_b: sink(gb, layer.inputs[1]!) });
        return;
      }
      case "concat": {
        const dims = layer.inputs.map((n) => colsOf.get(n)!);
        layer.inputs.forEach((n, k) => {
          const g = grad(n);
          if (g) b.step("backward", `${L}.piece${k}.backward`, concatPieceKernels(dims, k).backward, rows, { grad_out: gOut, grad_x: g });
        });
        return;
      }
      case "relaxed_node": {
        const theta = `s.${L}.theta`, thetaDim = dimOf(layer.thetaIrreps);
        const g = tpBackward(`${L}.backward`, layer.tp, { x2: "broadcast", weightOffset: offsetOf(layer.params[1]!) }, { x1: `v.${x}`, x2: theta, weight: "params", grad_out: gOut }, rows, `s.${L}.tp`);
        addInto(x, g.gx1, rows);
        columnSum(`${L}.grad_weight`, g.gw, layer.tp.weightNumel, rows, "grad_params", offsetOf(layer.params[1]!));
        const gTheta = scratch(`s.${L}.gtheta`, { count: thetaDim }, 1);
        columnSum(`${L}.grad_theta`, g.gx2, thetaDim, rows, gTheta, 0);
        thetaBackward(L, layer.theta, layer.thetaIrreps, gTheta);
        return;
      }
      case "relaxed_conv": {
        const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
        const theta = `s.${L}.theta`, thetaDim = dimOf(layer.thetaIrreps);
        const gmsg = scratch(`s.${L}.gmsg`, "edges", dimOf(layer.irrepsOut), "gradient");
        b.step("backward", `${L}.sum.backward`, segmentSumKernels(dimOf(layer.irrepsOut), 1 / Math.sqrt(layer.numNeighbors)).backward, "edges", { grad_out: gOut, grad_msg: gmsg, edge_dst: "edge_dst" });
        const m = tpBackward(`${L}.tp_message.backward`, layer.tpMessage, { x1: "gather" }, { x1: `v.${x}`, x2: `s.${L}.F`, weight: `s.${L}.radial`, grad_out: gmsg }, "edges", `s.${L}.tp_message`);
        gatherInto(x, m.gx1);
        radialBackward(L, layer.radial, emb, m.gw);
        const t = tpBackward(`${L}.tp_theta.backward`, layer.tpTheta, { x1: "broadcast", weightOffset: offsetOf(layer.params[1]!) }, { x1: theta, x2: `v.${sh}`, weight: "params", grad_out: m.gx2 }, "edges", `s.${L}.tp_theta`);
        columnSum(`${L}.grad_weight`, t.gw, layer.tpTheta.weightNumel, "edges", "grad_params", offsetOf(layer.params[1]!));
        const gTheta = scratch(`s.${L}.gtheta`, { count: thetaDim }, 1);
        columnSum(`${L}.grad_theta`, t.gx1, thetaDim, "edges", gTheta, 0);
        thetaBackward(L, layer.theta, layer.thetaIrreps, gTheta);
        return;
      }
    }
  }

  /**
   * The fused conv's backward (radial table): per path, the input gradient and the weight partials, then
   * the table's backward. `gOut` is the output gradient, one buffer per column group when `groups`.
   */
  function fusedConvBackward(layer: Extract<LayerIR, { op: "conv" }>, gOut: string[], groups?: Columns[]): void {
    const L = layer.name, x = layer.inputs[0]!, [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
    const table = radialTable(layer.radial, emb)!;
    const scale = 1 / Math.sqrt(layer.numNeighbors), stencil = `s.${L}.stencil`, t = `s.${L}.table`;
    const gx = grad(x);
    const chunks = radialTableChunks(table.cells, table.cols);
    const chunkEdges = shape?.chunkEdges((table.cells + 1) * table.cols);
    const partial = scratch(`s.${L}.table_partial`, chunkEdges ? { per: "edges", block: chunkEdges, times: table.cells + 1 } : { count: chunks * (table.cells + 1) }, table.cols);
    for (let p = 0; p < fusedConvPathCount(layer.tp); p++) {
      const k = groups ? convGroupOf(layer.tp, groups, p) : 0;
      const group = groups?.[k];
      const bi = fusedConvBackwardInputKernel(layer.tp, scale, p, group);
      if (gx) b.step("backward", `${L}.conv.backward_input.p${p}`, bi, "nodes", only(bi, { x2: `v.${sh}`, stencil, table: t, table4: t, grad_out: gOut[k]!, grad_x1: gx, src_offsets: "src_offsets", src_edges: "src_edges", edge_dst: "edge_dst" }));
      const w = fusedConvWeightPartialKernel(layer.tp, scale, table.cells, chunks, p, group, chunkEdges);
      if (w) b.step("backward", `${L}.conv.weight_partial.p${p}`, w.kernel, w.dispatch as Extent, only(w.kernel, { x1: `v.${x}`, x2: `v.${sh}`, grad_out: gOut[k]!, stencil, partial, partial4: partial, edge_src: "edge_src", edge_dst: "edge_dst" }));
    }
    radialTableBackward(L, table, partial, chunks, chunkEdges);
  }

  /** grad(value) += Σ over each node's outgoing edges of per-edge rows (the backward of x[src]). */
  function gatherInto(value: string, rowsBuffer: string): void {
    const g = grad(value);
    if (g) b.step("backward", `${value}.gather.${rowsBuffer}`, gatherBackwardKernel(colsOf.get(value)!), "nodes", { grad_rows: rowsBuffer, grad_x: g, src_offsets: "src_offsets", src_edges: "src_edges" });
  }

  /** grad(value) += rows, when the value wants a gradient. */
  function addInto(value: string, rowsBuffer: string, rows: Extent): void {
    const g = grad(value);
    if (g) b.step("backward", `${value}.accumulate.${rowsBuffer}`, addRowsKernel(colsOf.get(value)!), rows, { src: rowsBuffer, dst: g });
  }

  // --- optimiser ------------------------------------------------------------------------------------
  const opt = ir.train.optimizer;
  b.buffer({ name: "hyper", rows: { count: 8 }, cols: 1, type: "f32", role: "state" });
  if (opt.kind === "sgd") {
    b.buffer({ name: "opt_momentum", rows: count(ir.paramCount), cols: 1, type: "f32", role: "state" });
    b.step("update", "sgd", sgdKernel(), count(ir.paramCount), { hyper: "hyper", grad_params: "grad_params", param: "params", momentum: "opt_momentum" });
  } else {
    b.buffer({ name: "opt_m", rows: count(ir.paramCount), cols: 1, type: "f32", role: "state" });
    b.buffer({ name: "opt_v", rows: count(ir.paramCount), cols: 1, type: "f32", role: "state" });
    b.step("update", "adam", adamKernel(), count(ir.paramCount), { hyper: "hyper", grad_params: "grad_params", param: "params", adam_m: "opt_m", adam_v: "opt_v" });
  }
  for (const { label, kernel } of proximal) b.step("update", label, kernel, kernel.rows as Extent, { hyper: "hyper", model_params: "params" });

  // θ's pure-scalar initialisation: the flat indices of each relaxed layer's 0e coefficients.
  const thetaScalarIndices: number[] = [];
  for (const p of ir.params) {
    if (p.init !== "theta_scalar") continue;
    const layer = ir.layers.find((l) => "theta" in l && l.theta === p.name) as Extract<LayerIR, { theta: string }>;
    scalarCoefficients(thetaLayout(ir, p.name, layer.thetaIrreps)).forEach((v, i) => {
      if (v !== 0) thetaScalarIndices.push(p.offset + i);
    });
  }

  const fields = [...ir.inputs, ...ir.targets].map((f) => ({ name: f.name, dim: dimOf(f.irreps), domain: f.domain }));
  return {
    planVersion: 1,
    model: ir.model,
    specHash: ir.source.sha256,
    kernels: b.kernels,
    buffers: b.buffers,
    forward: b.forward,
    backward: b.backward,
    update: b.update,
    thetas: ir.layers.flatMap((l) => ("theta" in l ? [{ layer: l.name, buffer: `s.${l.name}.theta`, irreps: l.thetaIrreps }] : [])),
    train: {
      loss: ir.train.loss && { output: ir.train.loss.output, target: ir.train.loss.target },
      optimizer: ir.train.optimizer,
      schedule: ir.train.schedule,
      epochs: ir.train.epochs,
      batch: ir.train.batch,
      seed: ir.train.seed,
      checkpointEvery: ir.train.checkpointEvery,
    },
    outputs: ir.outputs.map((o) => ({ name: o.name, buffer: `v.${o.source}`, cols: dimOf(o.irreps), domain: o.domain })),
    inputs: ir.inputs.map((f) => ({ name: f.name, cols: dimOf(f.irreps), domain: f.domain })),
    paramCount: ir.paramCount,
    params: ir.params.map(({ name, offset, size, shape, init, relaxed }) => ({ name, offset, size, shape, init, relaxed })),
    thetaScalarIndices,
    batch: {
      positions: pos,
      graph: { mode: ir.graph.mode, radius: ir.graph.radius, maxNeighbors: ir.graph.maxNeighbors, k: ir.graph.k, edgesUsed: modelUsesEdges(ir) },
      fields,
    },
  };
}

/**
 * Default column-group width: 256 without a device limit (each group under 128 MiB, lavapipe's binding limit,
 * up to ~130k nodes); with a larger limit, as wide as a group of PLANNED_NODES rows still binds (2 GiB: 536
 * columns, so the benchmark's 592 columns take 2 groups and bind at a million nodes).
 */
function splitColsFor(maxBindingBytes: number | undefined): number {
  if (maxBindingBytes === undefined) return 256;
  return Math.max(256, Math.floor(maxBindingBytes / (4 * PLANNED_NODES)));
}

/**
 * The values stored as column groups (column-groups.ts): fused conv outputs wider than `maxCols` whose every
 * reader is a plain linear layer (the only kernels, besides the conv's own paths, that read them block by
 * block) and that are no model output or loss operand.
 */
function splitValues(ir: ModelIR, maxCols: number, fused: (l: Extract<LayerIR, { op: "conv" }>) => boolean): Map<string, Columns[]> {
  const splits = new Map<string, Columns[]>();
  const exposed = new Set([...ir.outputs.map((o) => o.source), ...(ir.train.loss ? [ir.train.loss.output, ir.train.loss.target] : [])]);
  for (const l of ir.layers) {
    if (l.op !== "conv" || !fused(l) || dimOf(l.irrepsOut) <= maxCols || exposed.has(l.name)) continue;
    const readers = ir.layers.filter((r) => r.inputs.includes(l.name));
    const plain = (r: LayerIR) => (r.op === "linear" || (r.op === "self_connection" && !r.attr)) && isPlainLinear(r.tp);
    if (readers.length && readers.every(plain)) splits.set(l.name, columnGroups(l.irrepsOut, maxCols));
  }
  return splits;
}

/** The column group holding path p's output block. */
function convGroupOf(tp: TensorProductIR, groups: readonly Columns[], p: number): number {
  const ins = tp.instructions[p]!, o = Irreps.parse(tp.irrepsOut);
  return groupOf(groups, o.offsets[ins.iOut]!, o.get(ins.iOut).mul * o.get(ins.iOut).ir.dim);
}
