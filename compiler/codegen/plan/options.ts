/** How a model is planned (planModel's options). */
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
   * How reductions over nodes and edges (weight gradients, the loss) run. "cpu": one invocation per output
   * value loops over every row: few, long invocations, right for lavapipe and SwiftShader. "gpu": fixed-size
   * blocks of rows, then a tree of block sums (block-sum.ts): no invocation's loop grows with the batch, as a
   * real GPU needs. Both are deterministic (a fixed summation order for a given batch). Not given: both, the
   * CPU shape as the plan and the GPU shape as its `gpu` variant (plan.ts), for the runtime to choose from.
   */
  shape?: "cpu" | "gpu";
  /**
   * The device's maxStorageBufferBindingSize in bytes (default 128 MiB, lavapipe's; for the `gpu` variant of
   * a plan without `shape`, 2 GiB): sizes the GPU shape's edge chunks so that their partial tables bind for
   * up to 2^24 edges, and the column groups (splitCols).
   */
  maxBindingBytes?: number;
  /**
   * The GPU shape's first-level block sizes, overriding those derived from the device (tests set them small
   * so that a few nodes and edges already span several blocks): nodes per block, edges per chunk.
   */
  gpuBlocks?: { nodes: number; edges: number };
}
