struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> emb: array<f32>;
@group(0) @binding(1) var<storage, read> model_params: array<f32>;
@group(0) @binding(2) var<storage, read_write> hidden: array<f32>;
@group(0) @binding(3) var<storage, read_write> acts: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// relu, times e3nn's normalize2mom constant

fn act(x: f32) -> f32 {

  return 1.39999998 * max(x, 0.0);

}

fn act_d(x: f32) -> f32 {

  return select(0.0, 1.39999998, x > 0.0);

}

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let opaque = params.nodes >> 31u;
  let mb = (row / 1u) * 4u;
  let nb = (row % 1u) * 4u;
  let m0 = min(mb + 0u, 3u);
  let m1 = min(mb + 1u, 3u);
  let m2 = min(mb + 2u, 3u);
  let m3 = min(mb + 3u, 3u);
  let n0 = min(nb + 0u, 2u);
  let n1 = min(nb + 1u, 2u);
  let n2 = min(nb + 2u, 2u);
  let n3 = min(nb + 3u, 2u);
  var c0 = vec4f(0.0);
  var c1 = vec4f(0.0);
  var c2 = vec4f(0.0);
  var c3 = vec4f(0.0);
  for (var k = 0u; k < 2u + opaque; k++) {
    let b = vec4f(model_params[0u + k * 3u + n0], model_params[0u + k * 3u + n1], model_params[0u + k * 3u + n2], model_params[0u + k * 3u + n3]);
    c0 += emb[m0 * 2u + k] * b;
    c1 += emb[m1 * 2u + k] * b;
    c2 += emb[m2 * 2u + k] * b;
    c3 += emb[m3 * 2u + k] * b;
  }
  if (mb + 0u < 4u && nb + 0u < 3u) {
    let z = c0[0] * 0.707106769;
    hidden[m0 * 3u + 0u + n0] = z;
    acts[m0 * 3u + 0u + n0] = act(z);
  }
  if (mb + 0u < 4u && nb + 1u < 3u) {
    let z = c0[1] * 0.707106769;
    hidden[m0 * 3u + 0u + n1] = z;
    acts[m0 * 3u + 0u + n1] = act(z);
  }
  if (mb + 0u < 4u && nb + 2u < 3u) {
    let z = c0[2] * 0.707106769;
    hidden[m0 * 3u + 0u + n2] = z;
    acts[m0 * 3u + 0u + n2] = act(z);
  }
  if (mb + 0u < 4u && nb + 3u < 3u) {
    let z = c0[3] * 0.707106769;
    hidden[m0 * 3u + 0u + n3] = z;
    acts[m0 * 3u + 0u + n3] = act(z);
  }
  if (mb + 1u < 4u && nb + 0u < 3u) {
    let z = c1[0] * 0.707106769;
    hidden[m1 * 3u + 0u + n0] = z;
    acts[m1 * 3u + 0u + n0] = act(z);
  }
  if (mb + 1u < 4u && nb + 1u < 3u) {
    let z = c1[1] * 0.707106769;
    hidden[m1 * 3u + 0u + n1] = z;
    acts[m1 * 3u + 0u + n1] = act(z);
  }
  if (mb + 1u < 4u && nb + 2u < 3u) {
    let z = c1[2] * 0.707106769;
    hidden[m1 * 3u + 0u + n2] = z;
    acts[m1 * 3u + 0u + n2] = act(z);
  }
  if (mb + 1u < 4u && nb + 3u < 3u) {
    let z = c1[3] * 0.707106769;
    hidden[m1 * 3u + 0u + n3] = z;
    acts[m1 * 3u + 0u + n3] = act(z);
  }
  if (mb + 2u < 4u && nb + 0u < 3u) {
    let z = c2[0] * 0.707106769;
    hidden[m2 * 3u + 0u + n0] = z;
    acts[m2 * 3u + 0u + n0] = act(z);
  }
  if (mb + 2u < 4u && nb + 1u < 3u) {
    let z = c2[1] * 0.707106769;
    hidden[m2 * 3u + 0u + n1] = z;
    acts[m2 * 3u + 0u + n1] = act(z);
  }
  if (mb + 2u < 4u && nb + 2u < 3u) {
    let z = c2[2] * 0.707106769;
    hidden[m2 * 3u + 0u + n2] = z;
    acts[m2 * 3u + 0u + n2] = act(z);
  }
  if (mb + 2u < 4u && nb + 3u < 3u) {
    let z = c2[3] * 0.707106769;
    hidden[m2 * 3u + 0u + n3] = z;
    acts[m2 * 3u + 0u + n3] = act(z);
  }
  if (mb + 3u < 4u && nb + 0u < 3u) {
    let z = c3[0] * 0.707106769;
    hidden[m3 * 3u + 0u + n0] = z;
    acts[m3 * 3u + 0u + n0] = act(z);
  }
  if (mb + 3u < 4u && nb + 1u < 3u) {
    let z = c3[1] * 0.707106769;
    hidden[m3 * 3u + 0u + n1] = z;
    acts[m3 * 3u + 0u + n1] = act(z);
  }
  if (mb + 3u < 4u && nb + 2u < 3u) {
    let z = c3[2] * 0.707106769;
    hidden[m3 * 3u + 0u + n2] = z;
    acts[m3 * 3u + 0u + n2] = act(z);
  }
  if (mb + 3u < 4u && nb + 3u < 3u) {
    let z = c3[3] * 0.707106769;
    hidden[m3 * 3u + 0u + n3] = z;
    acts[m3 * 3u + 0u + n3] = act(z);
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> hidden: array<f32>;
@group(0) @binding(1) var<storage, read> model_params: array<f32>;
@group(0) @binding(2) var<storage, read> grad_out: array<f32>;
@group(0) @binding(3) var<storage, read_write> delta: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// relu, times e3nn's normalize2mom constant

fn act(x: f32) -> f32 {

  return 1.39999998 * max(x, 0.0);

}

fn act_d(x: f32) -> f32 {

  return select(0.0, 1.39999998, x > 0.0);

}

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let opaque = params.nodes >> 31u;
  let mb = (row / 1u) * 4u;
  let nb = (row % 1u) * 4u;
  let m0 = min(mb + 0u, 3u);
  let m1 = min(mb + 1u, 3u);
  let m2 = min(mb + 2u, 3u);
  let m3 = min(mb + 3u, 3u);
  let n0 = min(nb + 0u, 2u);
  let n1 = min(nb + 1u, 2u);
  let n2 = min(nb + 2u, 2u);
  let n3 = min(nb + 3u, 2u);
  var c0 = vec4f(0.0);
  var c1 = vec4f(0.0);
  var c2 = vec4f(0.0);
  var c3 = vec4f(0.0);
  for (var k = 0u; k < 2u + opaque; k++) {
    let b = vec4f(model_params[6u + n0 * 2u + k], model_params[6u + n1 * 2u + k], model_params[6u + n2 * 2u + k], model_params[6u + n3 * 2u + k]);
    c0 += grad_out[m0 * 2u + k] * b;
    c1 += grad_out[m1 * 2u + k] * b;
    c2 += grad_out[m2 * 2u + k] * b;
    c3 += grad_out[m3 * 2u + k] * b;
  }
  if (mb + 0u < 4u && nb + 0u < 3u) {
    delta[m0 * 3u + 0u + n0] = c0[0] * 0.577350259 * act_d(hidden[m0 * 3u + 0u + n0]);
  }
  if (mb + 0u < 4u && nb + 1u < 3u) {
    delta[m0 * 3u + 0u + n1] = c0[1] * 0.577350259 * act_d(hidden[m0 * 3u + 0u + n1]);
  }
  if (mb + 0u < 4u && nb + 2u < 3u) {
    delta[m0 * 3u + 0u + n2] = c0[2] * 0.577350259 * act_d(hidden[m0 * 3u + 0u + n2]);
  }
  if (mb + 0u < 4u && nb + 3u < 3u) {
    delta[m0 * 3u + 0u + n3] = c0[3] * 0.577350259 * act_d(hidden[m0 * 3u + 0u + n3]);
  }
  if (mb + 1u < 4u && nb + 0u < 3u) {
    delta[m1 * 3u + 0u + n0] = c1[0] * 0.577350259 * act_d(hidden[m1 * 3u + 0u + n0]);
  }
  if (mb + 1u < 4u && nb + 1u < 3u) {
    delta[m1 * 3u + 0u + n1] = c1[1] * 0.577350259 * act_d(hidden[m1 * 3u + 0u + n1]);
  }
  if (mb + 1u < 4u && nb + 2u < 3u) {
    delta[m1 * 3u + 0u + n2] = c1[2] * 0.577350259 * act_d(hidden[m1 * 3u + 0u + n2]);
  }
  if (mb + 1u < 4u && nb + 3u < 3u) {
    delta[m1 * 3u + 0u + n3] = c1[3] * 0.577350259 * act_d(hidden[m1 * 3u + 0u + n3]);
  }
  if (mb + 2u < 4u && nb + 0u < 3u) {
    delta[m2 * 3u + 0u + n0] = c2[0] * 0.577350259 * act_d(hidden[m2 * 3u + 0u + n0]);
  }
  if (mb + 2u < 4u && nb + 1u < 3u) {
    delta[m2 * 3u + 0u + n1] = c2[1] * 0.577350259 * act_d(hidden[m2 * 3u + 0u + n1]);
  }
  if (mb + 2u < 4u && nb + 2u < 3u) {
    delta[m2 * 3u + 0u + n2] = c2[2] * 0.577350259 * act_d(hidden[m2 * 3u + 0u + n2]);
  }
  if (mb + 2u < 4u && nb + 3u < 3u) {
    delta[m2 * 3u + 0u + n3] = c2[3] * 0.577350259 * act_d(hidden[m2 * 3u + 0u + n3]);
  }
  if (mb + 3u < 4u && nb + 0u < 3u) {
    delta[m3 * 3u + 0u + n0] = c3[0] * 0.577350259 * act_d(hidden[m3 * 3u + 0u + n0]);
  }
  if (mb + 3u < 4u && nb + 1u < 3u) {
    delta[m3 * 3u + 0u + n1] = c3[1] * 0.577350259 * act_d(hidden[m3 * 3u + 0u + n1]);
  }
  if (mb + 3u < 4u && nb + 2u < 3u) {
    delta[m3 * 3u + 0u + n2] = c3[2] * 0.577350259 * act_d(hidden[m3 * 3u + 0u + n2]);
  }
  if (mb + 3u < 4u && nb + 3u < 3u) {
    delta[m3 * 3u + 0u + n3] = c3[3] * 0.577350259 * act_d(hidden[m3 * 3u + 0u + n3]);
  }
}
