struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> model_params: array<f32>;
@group(0) @binding(1) var<storage, read_write> theta: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  var v = 0.0;
  if (row < 2u) {
    // block 0: 1 x 1 basis
    let local = row;
    let c = 10u + (local / 1u) * 1u;
    v = model_params[c + 0u];
  }
  else {
    // block 1: 1 x 3 basis
    let local = row - 2u;
    let c = 12u + (local / 3u) * 1u;
    let i = local % 3u;
    switch i {
      case 0u: { v = 0.600000024 * model_params[c + 0u]; }
      case 2u: { v = 0.800000012 * model_params[c + 0u]; }
      default: {}
    }
  }
  theta[row] = v;
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> grad_theta: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad_params: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  var g = 0.0;
  if (row < 2u) {
    let local = row;
    let t = 0u + (local / 1u) * 1u;
    g = grad_theta[t + 0u];
  }
  else {
    let local = row - 2u;
    let t = 2u + (local / 1u) * 3u;
    g = 0.600000024 * grad_theta[t + 0u] + 0.800000012 * grad_theta[t + 2u];
  }
  grad_params[10u + row] += g;
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> theta: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad_theta: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  var g = 0.0;
  if (row >= 2u) {
    let x = theta[row];
    g += 0.0333333351 * x;
    let t = 2u + ((row - 2u) / 3u) * 3u;
    let n = sqrt(theta[t + 0u] * theta[t + 0u] + theta[t + 1u] * theta[t + 1u] + theta[t + 2u] * theta[t + 2u]);
    if (n > 0.0) { g += 0.00999999978 * x / n; }
  }
  grad_theta[row] += g;
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> theta: array<f32>;
@group(0) @binding(1) var<storage, read_write> reg: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  var sq = 0.0;
  var norms = 0.0;
  for (var u = 0u; u < 2u; u++) {
    let t = 2u + u * 3u;
    let s = theta[t + 0u] * theta[t + 0u] + theta[t + 1u] * theta[t + 1u] + theta[t + 2u] * theta[t + 2u];
    sq += s;
    norms += sqrt(s);
  }
  reg[0u] = 0.0166666675 * sq + 0.00999999978 * norms;
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> hyper: array<f32>;
@group(0) @binding(1) var<storage, read_write> model_params: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let shrink = hyper[0] * 0.00999999978;
  {
    let base = 12u + (row) * 1u;
    let norm = sqrt(model_params[base + 0u] * model_params[base + 0u]);
    let scale = select(0.0, max(0.0, 1.0 - shrink / norm), norm > 0.0);
    for (var k = 0u; k < 1u; k++) { model_params[base + k] = model_params[base + k] * scale; }
  }
}
