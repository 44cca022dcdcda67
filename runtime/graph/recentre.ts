/**
 * Positions for float32 kernels: each graph's positions moved so that its centroid is the origin, in
 * float64, then rounded. Only differences of positions reach a model (edge vectors, with lattice shifts for
 * periodic images: a common shift of a crystal's atoms is a translation too), so this changes nothing in
 * exact arithmetic; but in float32, positions offset by 1e8 round to a grid 8 apart and every edge collapses.
 */
export function recentredFloat32(pos: ArrayLike<number>, graphNodeOffsets: ArrayLike<number>): Float32Array<ArrayBuffer> {
  const out = new Float32Array(pos.length);
  for (let g = 0; g + 1 < graphNodeOffsets.length; g++) {
    const start = graphNodeOffsets[g]!, end = graphNodeOffsets[g + 1]!;
    if (end <= start) continue;
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let i = start; i < end; i++) sum += pos[3 * i + c]!;
      const mean = sum / (end - start);
      for (let i = start; i < end; i++) out[3 * i + c] = pos[3 * i + c]! - mean;
    }
  }
  return out;
}
