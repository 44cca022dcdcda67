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
          let ib = inBase + k * 1u;
          acc0 += input[ib + 0u] * wv;
        }
      }
      if (o + 0u < nOut) {
        let ob = offOut + (o + 0u) * 1u;
        output[ob + 0u] += acc0[0];
      }
      if (o + 1u < nOut) {
        let ob = offOut + (o + 1u) * 1u;
        output[ob + 0u] += acc0[1];
      }
      if (o + 2u < nOut) {
        let ob = offOut + (o + 2u) * 1u;
        output[ob + 0u] += acc0[2];
      }
      if (o + 3u < nOut) {
        let ob = offOut + (o + 3u) * 1u;
        output[ob + 0u] += acc0[3];
      }
    }
    h += segs * 6u;
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> grad_out: array<f32>;
@group(0) @binding(2) var<storage, read> lin_table: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad_params: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let dimIn = u32(lin_table[0]);
  let dimOut = u32(lin_table[1]);
  var q = 3u;
  for (var p = 1u; p < u32(lin_table[2]); p++) {
    if (row >= u32(lin_table[3u + p * 7u + 6u])) { q = 3u + p * 7u; }
  }
  let off1 = u32(lin_table[q]);
  let mul1 = u32(lin_table[q + 1u]);
  let offOut = u32(lin_table[q + 2u]);
  let mulOut = u32(lin_table[q + 3u]);
  let offW = u32(lin_table[q + 4u]);
  let c = lin_table[q + 5u];
  let local = row - u32(lin_table[q + 6u]);
  let wb = (mulOut + 3u) / 4u;
  let u0 = (local / wb) * 4u;
  let w0 = (local % wb) * 4u;
  let uc = vec4u(u0, min(u0 + 1u, mul1 - 1u), min(u0 + 2u, mul1 - 1u), min(u0 + 3u, mul1 - 1u)) * 1u;
  let wc = vec4u(w0, min(w0 + 1u, mulOut - 1u), min(w0 + 2u, mulOut - 1u), min(w0 + 3u, mulOut - 1u)) * 1u;
  var c0 = vec4f(0.0);
  var c1 = vec4f(0.0);
  var c2 = vec4f(0.0);
  var c3 = vec4f(0.0);
  for (var nd = 0u; nd < params.nodes; nd++) {
    let xb = nd * dimIn + off1;
    let gb = nd * dimOut + offOut;
    let g0 = vec4f(grad_out[gb + wc.x + 0u], grad_out[gb + wc.y + 0u], grad_out[gb + wc.z + 0u], grad_out[gb + wc.w + 0u]);
    c0 += x[xb + uc.x + 0u] * g0;
    c1 += x[xb + uc.y + 0u] * g0;
    c2 += x[xb + uc.z + 0u] * g0;
    c3 += x[xb + uc.w + 0u] * g0;
  }
  if (u0 + 0u < mul1 && w0 + 0u < mulOut) { grad_params[offW + (u0 + 0u) * mulOut + w0 + 0u] = c * c0[0]; }
  if (u0 + 0u < mul1 && w0 + 1u < mulOut) { grad_params[offW + (u0 + 0u) * mulOut + w0 + 1u] = c * c0[1]; }
  if (u0 + 0u < mul1 && w0 + 2u < mulOut) { grad_params[offW + (u0 + 0u) * mulOut + w0 + 2u] = c * c0[2]; }
  if (u0 + 0u < mul1 && w0 + 3u < mulOut) { grad_params[offW + (u0 + 0u) * mulOut + w0 + 3u] = c * c0[3]; }
  if (u0 + 1u < mul1 && w0 + 0u < mulOut) { grad_params[offW + (u0 + 1u) * mulOut + w0 + 0u] = c * c1[0]; }
  if (u0 + 1u < mul1 && w0 + 1u < mulOut) { grad_params[offW + (u0 + 1u) * mulOut + w0 + 1u] = c * c1[1]; }
  if (u0 + 1u < mul1 && w0 + 2u < mulOut) { grad_params[offW + (u0 + 1u) * mulOut + w0 + 2u] = c * c1[2]; }
  if (u0 + 1u < mul1 && w0 + 3u < mulOut) { grad_params[offW + (u0 + 1u) * mulOut + w0 + 3u] = c * c1[3]; }
  if (u0 + 2u < mul1 && w0 + 0u < mulOut) { grad_params[offW + (u0 + 2u) * mulOut + w0 + 0u] = c * c2[0]; }
  if (u0 + 2u < mul1 && w0 + 1u < mulOut) { grad_params[offW + (u0 + 2u) * mulOut + w0 + 1u] = c * c2[1]; }
  if (u0 + 2u < mul1 && w0 + 2u < mulOut) { grad_params[offW + (u0 + 2u) * mulOut + w0 + 2u] = c * c2[2]; }
  if (u0 + 2u < mul1 && w0 + 3u < mulOut) { grad_params[offW + (u0 + 2u) * mulOut + w0 + 3u] = c * c2[3]; }
  if (u0 + 3u < mul1 && w0 + 0u < mulOut) { grad_params[offW + (u0 + 3u) * mulOut + w0 + 0u] = c * c3[0]; }
  if (u0 + 3u < mul1 && w0 + 1u < mulOut) { grad_params[offW + (u0 + 3u) * mulOut + w0 + 1u] = c * c3[1]; }
  if (u0 + 3u < mul1 && w0 + 2u < mulOut) { grad_params[offW + (u0 + 3u) * mulOut + w0 + 2u] = c * c3[2]; }
  if (u0 + 3u < mul1 && w0 + 3u < mulOut) { grad_params[offW + (u0 + 3u) * mulOut + w0 + 3u] = c * c3[3]; }
}
