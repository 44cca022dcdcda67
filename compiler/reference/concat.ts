/** `concat`: each output row is the inputs' rows one after another (direct sum), and its backward split. */

export function concatForward(xs: Float64Array[], dims: number[], rows: number): Float64Array {
  const total = dims.reduce((a, d) => a + d, 0);
  const out = new Float64Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let off = 0;
    xs.forEach((x, k) => {
      out.set(x.subarray(r * dims[k]!, (r + 1) * dims[k]!), r * total + off);
      off += dims[k]!;
    });
  }
  return out;
}

export function concatBackward(gOut: Float64Array, dims: number[], rows: number): Float64Array[] {
  const total = dims.reduce((a, d) => a + d, 0);
  let off = 0;
  return dims.map((d) => {
    const g = new Float64Array(rows * d);
    for (let r = 0; r < rows; r++) g.set(gOut.subarray(r * total + off, r * total + off + d), r * d);
    off += d;
    return g;
  });
}
