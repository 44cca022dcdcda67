struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> weight: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let base = row * 5u;
  { // 2x0e
    let o = base + 0u;
    var mean = 0.0;
    for (var i = 0u; i < 2u; i++) { mean += x[o + i]; }
    mean = mean / 2.0;
    var sq = 0.0;
    for (var i = 0u; i < 2u; i++) { let y = (x[o + i] - mean); sq += y * y; }
    let s = sqrt(sq / 2.0 + 0.00000999999975);
    for (var u = 0u; u < 2u; u++) {
      let w = weight[4u + u];
      for (var k = 0u; k < 1u; k++) { let i = u * 1u + k; out[o + i] = (x[o + i] - mean) / s * w; }
    }
  }
  { // 1x1o
    let o = base + 2u;
    var sq = 0.0;
    for (var i = 0u; i < 3u; i++) { let y = x[o + i]; sq += y * y; }
    let s = sqrt(sq / 3.0 + 0.00000999999975);
    for (var u = 0u; u < 1u; u++) {
      let w = weight[6u + u];
      for (var k = 0u; k < 3u; k++) { let i = u * 3u + k; out[o + i] = x[o + i] / s * w; }
    }
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> weight: array<f32>;
@group(0) @binding(2) var<storage, read> grad_out: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad_x: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_weight_rows: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let base = row * 5u;
  { // 2x0e
    let o = base + 0u;
    var mean = 0.0;
    for (var i = 0u; i < 2u; i++) { mean += x[o + i]; }
    mean = mean / 2.0;
    var sq = 0.0;
    for (var i = 0u; i < 2u; i++) { let y = (x[o + i] - mean); sq += y * y; }
    let s = sqrt(sq / 2.0 + 0.00000999999975);
    var dot = 0.0;
    for (var u = 0u; u < 2u; u++) {
      let w = weight[4u + u];
      var gw = 0.0;
      for (var k = 0u; k < 1u; k++) { let i = u * 1u + k; let y = (x[o + i] - mean); let g = grad_out[o + i]; dot += g * w * y; gw += g * y; }
      grad_weight_rows[row * 3u + 0u + u] = gw / s;
    }
    let c = dot / (2.0 * s * s * s);
    var mg = 0.0;
    for (var u = 0u; u < 2u; u++) {
      let w = weight[4u + u];
      for (var k = 0u; k < 1u; k++) { let i = u * 1u + k; mg += grad_out[o + i] * w / s - (x[o + i] - mean) * c; }
    }
    mg = mg / 2.0;
    for (var u = 0u; u < 2u; u++) {
      let w = weight[4u + u];
      for (var k = 0u; k < 1u; k++) { let i = u * 1u + k; grad_x[o + i] += grad_out[o + i] * w / s - (x[o + i] - mean) * c - mg; }
    }
  }
  { // 1x1o
    let o = base + 2u;
    var sq = 0.0;
    for (var i = 0u; i < 3u; i++) { let y = x[o + i]; sq += y * y; }
    let s = sqrt(sq / 3.0 + 0.00000999999975);
    var dot = 0.0;
    for (var u = 0u; u < 1u; u++) {
      let w = weight[6u + u];
      var gw = 0.0;
      for (var k = 0u; k < 3u; k++) { let i = u * 3u + k; let y = x[o + i]; let g = grad_out[o + i]; dot += g * w * y; gw += g * y; }
      grad_weight_rows[row * 3u + 2u + u] = gw / s;
    }
    let c = dot / (3.0 * s * s * s);
    for (var u = 0u; u < 1u; u++) {
      let w = weight[6u + u];
      for (var k = 0u; k < 3u; k++) { let i = u * 3u + k; grad_x[o + i] += grad_out[o + i] * w / s - x[o + i] * c; }
    }
  }
}
