/**
 * Column sums: the deterministic reduction of per-row contributions (the gradient of a shared weight, of a
 * broadcast operand, of a norm's weights) into one row, summed in row order. No atomics.
 */
import { checkPositive, domainSize, readF32, rowKernel, u32, writeF32 } from "./common.js";
import type { GeneratedKernel, RowDomain } from "./kernel.js";

/**
 * dst[destOffset + j] = Σ_{r < rows(domain)} src[r·cols + j]   (accumulate: `+=` instead of `=`),
 * each column summed in row order, then stored or added once.
 *
 * rows: `{ count: cols }`, one invocation per column. `domain` is the domain of src's rows: "nodes", "edges"
 * or "graphs" (read from the uniform at run time) or `{ count }` (baked). Bindings `src` (read, rows × cols),
 * `dst` (read_write; e.g. `grad_params` with `destOffset` the parameter's offset, accumulate = true).
 * With an empty domain, assign writes 0 and accumulate leaves dst unchanged.
 */
export function columnSumKernel(cols: number, domain: RowDomain, destOffset: number, accumulate: boolean): GeneratedKernel {
  checkPositive("column sum: cols", cols);
  if (!Number.isInteger(destOffset) || destOffset < 0) throw new Error(`column sum: destOffset must be a non-negative integer, got ${destOffset}`);
  const C = u32(cols);
  return rowKernel([readF32("src"), writeF32("dst")], [
    `  let n = ${domainSize(domain)};`,
    "  var s = 0.0;",
    `  for (var r = 0u; r < n; r++) { s += src[r * ${C} + row]; }`,
    `  dst[${u32(destOffset)} + row] ${accumulate ? "+=" : "="} s;`,
  ]);
}
