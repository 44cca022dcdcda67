/**
 * The block layout of the equivariant instance norm (`norm`): one block per irrep entry of the input, the
 * 0e ones centred. Shared by the float64 reference (compiler/reference/norm.ts) and its WGSL kernels
 * (compiler/codegen/wgsl/pointwise-norm.ts), which must agree on it.
 */
import { Irreps } from "../o3/irreps.js";

/** One irrep block of the norm's input: offset, copies, dimension, first weight index, whether it is centred. */
export interface NormBlock {
  off: number;
  mul: number;
  d: number;
  channel: number;
  centre: boolean;
  label: string;
}

/** The norm's block layout. */
export function normBlocks(irreps: string): { list: NormBlock[]; dim: number; channels: number } {
  const ir = Irreps.parse(irreps);
  const list: NormBlock[] = [];
  let off = 0, channel = 0;
  for (const e of ir.entries) {
    list.push({ off, mul: e.mul, d: e.ir.dim, channel, centre: e.l === 0 && e.p === 1, label: e.toString() });
    off += e.dim;
    channel += e.mul;
  }
  return { list, dim: off, channels: channel };
}
