/**
 * Column groups of a wide value: contiguous runs of whole irrep blocks, each stored as its own buffer, so
 * that no single binding outgrows the device's maxStorageBufferBindingSize at large batches (a conv's
 * 'uvu' mid irreps are 592 floats per node: 237 MB at 100k nodes against lavapipe's 128 MiB). Kernels that
 * touch one block at a time (the fused conv's paths, the linear maps) bind the group holding it.
 */
import { Irreps } from "../o3/irreps.js";

/** Columns [start, start + cols) of a value, as one buffer with `cols` numbers per row. */
export interface Columns {
  start: number;
  cols: number;
}

/** Greedy packing of the blocks in order, at most `maxCols` per group (a wider block is a group alone). */
export function columnGroups(irreps: string, maxCols: number): Columns[] {
  const groups: Columns[] = [];
  const ir = Irreps.parse(irreps);
  ir.entries.forEach((e, i) => {
    const width = e.mul * e.ir.dim, start = ir.offsets[i]!;
    const last = groups[groups.length - 1];
    if (last && last.cols + width <= maxCols) last.cols += width;
    else groups.push({ start, cols: width });
  });
  return groups.filter((g) => g.cols > 0);
}

/** The index of the group holding columns [start, start + width); throws if they straddle groups. */
export function groupOf(groups: readonly Columns[], start: number, width: number): number {
  const k = groups.findIndex((g) => start >= g.start && start < g.start + g.cols);
  if (k < 0 || start + width > groups[k]!.start + groups[k]!.cols) throw new Error(`columns ${start}..${start + width} straddle column groups`);
  return k;
}
