struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> emb: array<f32>;
@group(0) @binding(1) var<storage, read> model_params: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<storage, read_write> hidden: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// silu, times e3nn's normalize2mom constant

fn act(x: f32) -> f32 {

  return 1.5 * x / (1.0 + exp(-x));

}

fn act_d(x: f32) -> f32 {

  let s = 1.0 / (1.0 + exp(-x));

  return 1.5 * s * (1.0 + x * (1.0 - s));

}

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let be = row * 2u;
  let bo = row * 2u;
  let bh = row * 3u;
  var a0: array<f32, 2>;
  for (var i = 0u; i < 2u; i++) { a0[i] = emb[be + i]; }
  // layer 0: 2 -> 3
  var a1: array<f32, 3>;
  for (var o = 0u; o < 3u; o++) {
    var acc = 0.0;
    for (var i = 0u; i < 2u; i++) { acc += a0[i] * model_params[0u + i * 3u + o]; }
    let h = acc * 0.707106769;
    hidden[bh + 0u + o] = h;
    a1[o] = act(h);
  }
  // layer 1: 3 -> 2 (output)
  for (var o = 0u; o < 2u; o++) {
    var acc = 0.0;
    for (var i = 0u; i < 3u; i++) { acc += a1[i] * model_params[6u + i * 2u + o]; }
    let h = acc * 0.577350259;
    out[bo + o] = h;
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> hidden: array<f32>;
@group(0) @binding(1) var<storage, read> model_params: array<f32>;
@group(0) @binding(2) var<storage, read> grad_out: array<f32>;
@group(0) @binding(3) var<storage, read_write> delta: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_emb: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

// silu, times e3nn's normalize2mom constant

fn act(x: f32) -> f32 {

  return 1.5 * x / (1.0 + exp(-x));

}

fn act_d(x: f32) -> f32 {

  let s = 1.0 / (1.0 + exp(-x));

  return 1.5 * s * (1.0 + x * (1.0 - s));

}

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let be = row * 2u;
  let bo = row * 2u;
  let bd = row * 5u;
  let bh = row * 3u;
  // layer 2's delta is grad_out
  var d2: array<f32, 2>;
  for (var o = 0u; o < 2u; o++) {
    let g = grad_out[bo + o];
    d2[o] = g;
    delta[bd + 3u + o] = g;
  }
  // delta_1 = act'(h_1) (W_1 delta_2) / sqrt(3)
  var d1: array<f32, 3>;
  for (var i = 0u; i < 3u; i++) {
    var acc = 0.0;
    for (var o = 0u; o < 2u; o++) { acc += model_params[6u + i * 2u + o] * d2[o]; }
    let g = acc * 0.577350259 * act_d(hidden[bh + 0u + i]);
    d1[i] = g;
    delta[bd + 0u + i] = g;
  }
  // the input gradient
  for (var i = 0u; i < 2u; i++) {
    var acc = 0.0;
    for (var o = 0u; o < 3u; o++) { acc += model_params[0u + i * 3u + o] * d1[o]; }
    grad_emb[be + i] += acc * 0.707106769;
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> emb: array<f32>;
@group(0) @binding(1) var<storage, read> hidden: array<f32>;
@group(0) @binding(2) var<storage, read> delta: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad_params: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// silu, times e3nn's normalize2mom constant

fn act(x: f32) -> f32 {

  return 1.5 * x / (1.0 + exp(-x));

}

fn act_d(x: f32) -> f32 {

  let s = 1.0 / (1.0 + exp(-x));

  return 1.5 * s * (1.0 + x * (1.0 - s));

}

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  if (row < 6u) {
    // W_0: 2 x 3
    let local = row - 0u;
    let i = local / 3u;
    let j = local % 3u;
    var acc = 0.0;
    for (var e = 0u; e < params.edges; e++) {
      acc += emb[e * 2u + i] * delta[e * 5u + 0u + j];
    }
    grad_params[0u + local] = acc * 0.707106769;
  }
  else if (row < 12u) {
    // W_1: 3 x 2
    let local = row - 6u;
    let i = local / 2u;
    let j = local % 2u;
    var acc = 0.0;
    for (var e = 0u; e < params.edges; e++) {
      acc += act(hidden[e * 3u + 0u + i]) * delta[e * 5u + 3u + j];
    }
    grad_params[6u + local] = acc * 0.577350259;
  }
}
