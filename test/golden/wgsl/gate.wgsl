struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

fn act_silu(x: f32) -> f32 {
  return x / (1.0 + exp(-x));
}
fn dact_silu(x: f32) -> f32 {
  let s = 1.0 / (1.0 + exp(-x));
  return s * (1.0 + x * (1.0 - s));
}

fn act_sigmoid(x: f32) -> f32 {
  return 1.0 / (1.0 + exp(-x));
}
fn dact_sigmoid(x: f32) -> f32 {
  let s = 1.0 / (1.0 + exp(-x));
  return s * (1.0 - s);
}

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let xi = row * 6u;
  let oi = row * 5u;
  for (var i = 0u; i < 2u; i++) { out[oi + i] = 1.67917681 * act_silu(x[xi + i]); }
  // gated 1x1o: gates 0..0
  for (var u = 0u; u < 1u; u++) {
    let z = x[xi + 2u + u];
    let xv = xi + 3u + u * 3u;
    let ov = oi + 2u + u * 3u;
    let gate = 1.84670556 * act_sigmoid(z);
    out[ov + 0u] = gate * x[xv + 0u];
    out[ov + 1u] = gate * x[xv + 1u];
    out[ov + 2u] = gate * x[xv + 2u];
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> grad_out: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad_x: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

fn act_silu(x: f32) -> f32 {
  return x / (1.0 + exp(-x));
}
fn dact_silu(x: f32) -> f32 {
  let s = 1.0 / (1.0 + exp(-x));
  return s * (1.0 + x * (1.0 - s));
}

fn act_sigmoid(x: f32) -> f32 {
  return 1.0 / (1.0 + exp(-x));
}
fn dact_sigmoid(x: f32) -> f32 {
  let s = 1.0 / (1.0 + exp(-x));
  return s * (1.0 - s);
}

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let xi = row * 6u;
  let oi = row * 5u;
  for (var i = 0u; i < 2u; i++) { grad_x[xi + i] += grad_out[oi + i] * 1.67917681 * dact_silu(x[xi + i]); }
  // gated 1x1o: gates 0..0
  for (var u = 0u; u < 1u; u++) {
    let z = x[xi + 2u + u];
    let xv = xi + 3u + u * 3u;
    let ov = oi + 2u + u * 3u;
    let gate = 1.84670556 * act_sigmoid(z);
    var dot = 0.0;
    let g0 = grad_out[ov + 0u];
    dot += g0 * x[xv + 0u];
    grad_x[xv + 0u] += g0 * gate;
    let g1 = grad_out[ov + 1u];
    dot += g1 * x[xv + 1u];
    grad_x[xv + 1u] += g1 * gate;
    let g2 = grad_out[ov + 2u];
    dot += g2 * x[xv + 2u];
    grad_x[xv + 2u] += g2 * gate;
    grad_x[xi + 2u + u] += dot * 1.84670556 * dact_sigmoid(z);
  }
}
