struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read> model_params: array<f32>;
@group(0) @binding(2) var<storage, read> lin_table: array<f32>;
@group(0) @binding(3) var<storage, read_write> output: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let dimIn = u32(lin_table[0]);
  let dimOut = u32(lin_table[1]);
  var h = 3u;
  for (var bl = 0u; bl < u32(lin_table[2]); bl++) {
    let offOut = row * dimOut + u32(lin_table[h]);
    let nOut = u32(lin_table[h + 1u]);
    let segs = u32(lin_table[h + 2u]);
    h += 3u;
    for (var o = 0u; o < nOut; o += 4u) {
      var acc0 = vec4f(0.0);
      var acc1 = vec4f(0.0);
      var acc2 = vec4f(0.0);
      // Channels past nOut read a valid weight (clamped) and are never stored.
      let oc = vec4u(o, min(o + 1u, nOut - 1u), min(o + 2u, nOut - 1u), min(o + 3u, nOut - 1u));
      for (var sg = 0u; sg < segs; sg++) {
        let q = h + sg * 6u;
        let inBase = row * dimIn + u32(lin_table[q]);
        let count = u32(lin_table[q + 1u]);
        let wo = u32(lin_table[q + 2u]) + oc * u32(lin_table[q + 4u]);
        let sk = u32(lin_table[q + 3u]);
        let c = lin_table[q + 5u];
        for (var k = 0u; k < count; k++) {
          let wk = wo + k * sk;
          let wv = c * vec4f(model_params[wk.x], model_params[wk.y], model_params[wk.z], model_params[wk.w]);
          let ib = inBase + k * 3u;
          acc0 += input[ib + 0u] * wv;
          acc1 += input[ib + 1u] * wv;
          acc2 += input[ib + 2u] * wv;
        }
      }
      if (o + 0u < nOut) {
        let ob = offOut + (o + 0u) * 3u;
        output[ob + 0u] = acc0[0];
        output[ob + 1u] = acc1[0];
        output[ob + 2u] = acc2[0];
      }
      if (o + 1u < nOut) {
        let ob = offOut + (o + 1u) * 3u;
        output[ob + 0u] = acc0[1];
        output[ob + 1u] = acc1[1];
        output[ob + 2u] = acc2[1];
      }
      if (o + 2u < nOut) {
        let ob = offOut + (o + 2u) * 3u;
        output[ob + 0u] = acc0[2];
        output[ob + 1u] = acc1[2];
        output[ob + 2u] = acc2[2];
      }
      if (o + 3u < nOut) {
        let ob = offOut + (o + 3u) * 3u;
        output[ob + 0u] = acc0[3];
        output[ob + 1u] = acc1[3];
        output[ob + 2u] = acc2[3];
      }
    }
    h += segs * 6u;
  }
}
