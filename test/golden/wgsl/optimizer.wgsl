struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> hyper: array<f32>;
@group(0) @binding(1) var<storage, read> grad_params: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> momentum: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let lr = hyper[0];
  let mu = hyper[1];
  let b = mu * momentum[row] + grad_params[row];
  momentum[row] = b;
  param[row] = param[row] - lr * b;
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> hyper: array<f32>;
@group(0) @binding(1) var<storage, read> grad_params: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> adam_m: array<f32>;
@group(0) @binding(4) var<storage, read_write> adam_v: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let lr = hyper[0];
  let b1 = hyper[1];
  let b2 = hyper[2];
  let eps = hyper[3];
  let bc1 = hyper[4];
  let bc2 = hyper[5];
  let g = grad_params[row];
  let m = b1 * adam_m[row] + (1.0 - b1) * g;
  let v = b2 * adam_v[row] + (1.0 - b2) * g * g;
  adam_m[row] = m;
  adam_v[row] = v;
  let denom = sqrt(v) / sqrt(bc2) + eps;
  param[row] = param[row] - (lr / bc1) * (m / denom);
}
