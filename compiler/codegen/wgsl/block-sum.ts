/**
 * Column sums shaped for GPUs: a fixed-shape tree of block sums instead of one serial loop over all rows
 * per column (reduce.ts, right for CPU devices' few threads, but on a GPU a column count of invocations each
 * looping over every node or edge leaves the device idle).
 *
 * Level k sums blocks of SUM_BLOCK rows of level k-1's output (invocation = one block x one column, loop
 * bounded by SUM_BLOCK), until one row remains; the last level writes (or adds) it into `dst`. Every
 * sum runs in row order inside its block and the blocks' tree depends only on the row count, so a result is
 * bit-identical from run to run. No atomics, no workgroup memory (so no barriers either).
 */
import { blocksOf, checkPositive, readF32, rowKernel, u32, writeF32 } from "./common.js";
import type { GeneratedKernel, RowDomain } from "./kernel.js";

/** Rows per block at every level: 256 keeps the number of levels at 4 or fewer for any u32-indexed source. */
export const SUM_BLOCK = 256;

type Per = "nodes" | "edges" | "graphs";

/** The source's rows: ceil(batch size `per` / `block`) (block 1: one row per node, edge or graph). */
export interface BlockSource {
  per: Per;
  block: number;
}

export interface BlockSumLevel {
  kernel: GeneratedKernel;
  rows: RowDomain;
  /** Binding `src` reads this: "src" (the source) or the name of a scratch buffer. */
  from: string;
  /** Binding `dst` writes this: a scratch buffer, or "dst" (the last level). */
  to: string;
}

export interface BlockSumPlan {
  /** Scratch buffers to declare (cols = the sum's cols each): `<prefix>.a` and `<prefix>.b`, used in turn. */
  scratch: { name: string; rows: RowDomain }[];
  levels: BlockSumLevel[];
}

/**
 * dst[destOffset + j] = Σ_r src[r·cols + j] (`+=` when accumulate) over the source's rows, as a tree of
 * block sums. `scratchPrefix` names the two scratch buffers the levels alternate between; `factor` (a WGSL
 * f32 expression, e.g. a loss's normalisation) multiplies the sum before it is stored.
 */
export function blockSumPlan(cols: number, source: BlockSource, destOffset: number, accumulate: boolean, scratchPrefix: string, factor?: string): BlockSumPlan {
  checkPositive("block sum: cols", cols);
  checkPositive("block sum: source block", source.block);
  if (!Number.isInteger(destOffset) || destOffset < 0) throw new Error(`block sum: destOffset must be a non-negative integer, got ${destOffset}`);
  // Enough levels that the last one sees at most SUM_BLOCK rows for any source a u32 index can address.
  const maxRows = Math.floor(0xffffffff / cols);
  let levels = 0;
  while (Math.ceil(maxRows / source.block / SUM_BLOCK ** levels) > SUM_BLOCK) levels++;
  const names = [`${scratchPrefix}.a`, `${scratchPrefix}.b`];
  const scratch = names.slice(0, Math.min(2, levels)).map((name, k) => ({ name, rows: { per: source.per, block: source.block * SUM_BLOCK ** (k + 1), times: 1 } as RowDomain }));
  const out: BlockSumLevel[] = [];
  for (let k = 0; k < levels; k++) {
    const inBlock = source.block * SUM_BLOCK ** k;
    out.push({
      kernel: blockLevelKernel(cols, source.per, inBlock),
      rows: { per: source.per, block: inBlock * SUM_BLOCK, times: cols },
      from: k === 0 ? "src" : names[(k - 1) % 2]!,
      to: names[k % 2]!,
    });
  }
  out.push({ kernel: lastLevelKernel(cols, source.per, source.block * SUM_BLOCK ** levels, destOffset, accumulate, factor), rows: { count: cols }, from: levels === 0 ? "src" : names[(levels - 1) % 2]!, to: "dst" });
  return { scratch, levels: out };
}

/** One level: invocation (b, j) sums rows b·SUM_BLOCK .. of src's ceil(size / inBlock) rows, column j. */
function blockLevelKernel(cols: number, per: Per, inBlock: number): GeneratedKernel {
  const C = u32(cols);
  return rowKernel([readF32("src"), writeF32("dst")], [
    `  let j = row % ${C};`,
    `  let b = row / ${C};`,
    `  let n = ${blocksOf(`params.${per}`, inBlock)};`,
    `  let r0 = b * ${u32(SUM_BLOCK)};`,
    `  let r1 = min(r0 + ${u32(SUM_BLOCK)}, n);`,
    "  var s = 0.0;",
    `  for (var r = r0; r < r1; r++) { s += src[r * ${C} + j]; }`,
    `  dst[b * ${C} + j] = s;`,
  ]);
}

/** The last level: the (at most SUM_BLOCK) remaining rows of each column into dst; an empty source sums to 0. */
function lastLevelKernel(cols: number, per: Per, inBlock: number, destOffset: number, accumulate: boolean, factor?: string): GeneratedKernel {
  const C = u32(cols);
  return rowKernel([readF32("src"), writeF32("dst")], [
    `  let n = min(${blocksOf(`params.${per}`, inBlock)}, ${u32(SUM_BLOCK)});`,
    "  var s = 0.0;",
    `  for (var r = 0u; r < n; r++) { s += src[r * ${C} + row]; }`,
    `  dst[${u32(destOffset)} + row] ${accumulate ? "+=" : "="} ${factor === undefined ? "s" : `${factor} * s`};`,
  ]);
}
