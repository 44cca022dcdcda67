struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> model_params: array<vec4f>;
@group(0) @binding(1) var<storage, read> acts: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let opaque = params.nodes >> 31u;
  let mb = (row / 2u) * 4u;
  let nb = (row % 2u) * 4u;
  let m0 = min(mb + 0u, 5u);
  let m1 = min(mb + 1u, 5u);
  let m2 = min(mb + 2u, 5u);
  let m3 = min(mb + 3u, 5u);
  let n0 = min(nb + 0u, 7u);
  let n1 = min(nb + 1u, 7u);
  let n2 = min(nb + 2u, 7u);
  let n3 = min(nb + 3u, 7u);
  var c0 = vec4f(0.0);
  var c1 = vec4f(0.0);
  var c2 = vec4f(0.0);
  var c3 = vec4f(0.0);
  for (var k4 = 0u; k4 < 2u + opaque; k4++) {
    let a0 = acts[(0u + m0 * 8u + k4 * 4u) / 4u];
    let a1 = acts[(0u + m1 * 8u + k4 * 4u) / 4u];
    let a2 = acts[(0u + m2 * 8u + k4 * 4u) / 4u];
    let a3 = acts[(0u + m3 * 8u + k4 * 4u) / 4u];
    for (var kk = 0u; kk < 4u; kk++) {
      let b = model_params[(32u + (k4 * 4u + kk) * 8u + nb) / 4u];
      c0 += a0[kk] * b;
      c1 += a1[kk] * b;
      c2 += a2[kk] * b;
      c3 += a3[kk] * b;
    }
  }
  if (mb + 0u < 6u && nb + 0u < 8u) {
    out[m0 * 8u + n0] = c0[0] * 0.353553385;
  }
  if (mb + 0u < 6u && nb + 1u < 8u) {
    out[m0 * 8u + n1] = c0[1] * 0.353553385;
  }
  if (mb + 0u < 6u && nb + 2u < 8u) {
    out[m0 * 8u + n2] = c0[2] * 0.353553385;
  }
  if (mb + 0u < 6u && nb + 3u < 8u) {
    out[m0 * 8u + n3] = c0[3] * 0.353553385;
  }
  if (mb + 1u < 6u && nb + 0u < 8u) {
    out[m1 * 8u + n0] = c1[0] * 0.353553385;
  }
  if (mb + 1u < 6u && nb + 1u < 8u) {
    out[m1 * 8u + n1] = c1[1] * 0.353553385;
  }
  if (mb + 1u < 6u && nb + 2u < 8u) {
    out[m1 * 8u + n2] = c1[2] * 0.353553385;
  }
  if (mb + 1u < 6u && nb + 3u < 8u) {
    out[m1 * 8u + n3] = c1[3] * 0.353553385;
  }
  if (mb + 2u < 6u && nb + 0u < 8u) {
    out[m2 * 8u + n0] = c2[0] * 0.353553385;
  }
  if (mb + 2u < 6u && nb + 1u < 8u) {
    out[m2 * 8u + n1] = c2[1] * 0.353553385;
  }
  if (mb + 2u < 6u && nb + 2u < 8u) {
    out[m2 * 8u + n2] = c2[2] * 0.353553385;
  }
  if (mb + 2u < 6u && nb + 3u < 8u) {
    out[m2 * 8u + n3] = c2[3] * 0.353553385;
  }
  if (mb + 3u < 6u && nb + 0u < 8u) {
    out[m3 * 8u + n0] = c3[0] * 0.353553385;
  }
  if (mb + 3u < 6u && nb + 1u < 8u) {
    out[m3 * 8u + n1] = c3[1] * 0.353553385;
  }
  if (mb + 3u < 6u && nb + 2u < 8u) {
    out[m3 * 8u + n2] = c3[2] * 0.353553385;
  }
  if (mb + 3u < 6u && nb + 3u < 8u) {
    out[m3 * 8u + n3] = c3[3] * 0.353553385;
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> hidden: array<f32>;
@group(0) @binding(1) var<storage, read> model_params: array<vec4f>;
@group(0) @binding(2) var<storage, read> grad_out: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> delta: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// silu, times e3nn's normalize2mom constant

fn act(x: f32) -> f32 {

  return 1.67999995 * x / (1.0 + exp(-x));

}

fn act_d(x: f32) -> f32 {

  let s = 1.0 / (1.0 + exp(-x));

  return 1.67999995 * s * (1.0 + x * (1.0 - s));

}

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let opaque = params.nodes >> 31u;
  let mb = (row / 2u) * 4u;
  let nb = (row % 2u) * 4u;
  let m0 = min(mb + 0u, 5u);
  let m1 = min(mb + 1u, 5u);
  let m2 = min(mb + 2u, 5u);
  let m3 = min(mb + 3u, 5u);
  let n0 = min(nb + 0u, 7u);
  let n1 = min(nb + 1u, 7u);
  let n2 = min(nb + 2u, 7u);
  let n3 = min(nb + 3u, 7u);
  var c0 = vec4f(0.0);
  var c1 = vec4f(0.0);
  var c2 = vec4f(0.0);
  var c3 = vec4f(0.0);
  for (var k4 = 0u; k4 < 2u + opaque; k4++) {
    let a0 = grad_out[(0u + m0 * 8u + k4 * 4u) / 4u];
    let a1 = grad_out[(0u + m1 * 8u + k4 * 4u) / 4u];
    let a2 = grad_out[(0u + m2 * 8u + k4 * 4u) / 4u];
    let a3 = grad_out[(0u + m3 * 8u + k4 * 4u) / 4u];
    let b0 = model_params[(32u + n0 * 8u + k4 * 4u) / 4u];
    let b1 = model_params[(32u + n1 * 8u + k4 * 4u) / 4u];
    let b2 = model_params[(32u + n2 * 8u + k4 * 4u) / 4u];
    let b3 = model_params[(32u + n3 * 8u + k4 * 4u) / 4u];
    c0 += vec4f(dot(a0, b0), dot(a0, b1), dot(a0, b2), dot(a0, b3));
    c1 += vec4f(dot(a1, b0), dot(a1, b1), dot(a1, b2), dot(a1, b3));
    c2 += vec4f(dot(a2, b0), dot(a2, b1), dot(a2, b2), dot(a2, b3));
    c3 += vec4f(dot(a3, b0), dot(a3, b1), dot(a3, b2), dot(a3, b3));
  }
  if (mb + 0u < 6u && nb + 0u < 8u) {
    delta[m0 * 8u + 0u + n0] = c0[0] * 0.353553385 * act_d(hidden[m0 * 8u + 0u + n0]);
  }
  if (mb + 0u < 6u && nb + 1u < 8u) {
    delta[m0 * 8u + 0u + n1] = c0[1] * 0.353553385 * act_d(hidden[m0 * 8u + 0u + n1]);
  }
  if (mb + 0u < 6u && nb + 2u < 8u) {
    delta[m0 * 8u + 0u + n2] = c0[2] * 0.353553385 * act_d(hidden[m0 * 8u + 0u + n2]);
  }
  if (mb + 0u < 6u && nb + 3u < 8u) {
    delta[m0 * 8u + 0u + n3] = c0[3] * 0.353553385 * act_d(hidden[m0 * 8u + 0u + n3]);
  }
  if (mb + 1u < 6u && nb + 0u < 8u) {
    delta[m1 * 8u + 0u + n0] = c1[0] * 0.353553385 * act_d(hidden[m1 * 8u + 0u + n0]);
  }
  if (mb + 1u < 6u && nb + 1u < 8u) {
    delta[m1 * 8u + 0u + n1] = c1[1] * 0.353553385 * act_d(hidden[m1 * 8u + 0u + n1]);
  }
  if (mb + 1u < 6u && nb + 2u < 8u) {
    delta[m1 * 8u + 0u + n2] = c1[2] * 0.353553385 * act_d(hidden[m1 * 8u + 0u + n2]);
  }
  if (mb + 1u < 6u && nb + 3u < 8u) {
    delta[m1 * 8u + 0u + n3] = c1[3] * 0.353553385 * act_d(hidden[m1 * 8u + 0u + n3]);
  }
  if (mb + 2u < 6u && nb + 0u < 8u) {
    delta[m2 * 8u + 0u + n0] = c2[0] * 0.353553385 * act_d(hidden[m2 * 8u + 0u + n0]);
  }
  if (mb + 2u < 6u && nb + 1u < 8u) {
    delta[m2 * 8u + 0u + n1] = c2[1] * 0.353553385 * act_d(hidden[m2 * 8u + 0u + n1]);
  }
  if (mb + 2u < 6u && nb + 2u < 8u) {
    delta[m2 * 8u + 0u + n2] = c2[2] * 0.353553385 * act_d(hidden[m2 * 8u + 0u + n2]);
  }
  if (mb + 2u < 6u && nb + 3u < 8u) {
    delta[m2 * 8u + 0u + n3] = c2[3] * 0.353553385 * act_d(hidden[m2 * 8u + 0u + n3]);
  }
  if (mb + 3u < 6u && nb + 0u < 8u) {
    delta[m3 * 8u + 0u + n0] = c3[0] * 0.353553385 * act_d(hidden[m3 * 8u + 0u + n0]);
  }
  if (mb + 3u < 6u && nb + 1u < 8u) {
    delta[m3 * 8u + 0u + n1] = c3[1] * 0.353553385 * act_d(hidden[m3 * 8u + 0u + n1]);
  }
  if (mb + 3u < 6u && nb + 2u < 8u) {
    delta[m3 * 8u + 0u + n2] = c3[2] * 0.353553385 * act_d(hidden[m3 * 8u + 0u + n2]);
  }
  if (mb + 3u < 6u && nb + 3u < 8u) {
    delta[m3 * 8u + 0u + n3] = c3[3] * 0.353553385 * act_d(hidden[m3 * 8u + 0u + n3]);
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> emb: array<vec4f>;
@group(0) @binding(1) var<storage, read> delta: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> grad_params: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let opaque = params.nodes >> 31u;
  let mb = (row / 2u) * 4u;
  let nb = (row % 2u) * 4u;
  let m0 = min(mb + 0u, 3u);
  let m1 = min(mb + 1u, 3u);
  let m2 = min(mb + 2u, 3u);
  let m3 = min(mb + 3u, 3u);
  let n0 = min(nb + 0u, 7u);
  let n1 = min(nb + 1u, 7u);
  let n2 = min(nb + 2u, 7u);
  let n3 = min(nb + 3u, 7u);
  var c0 = vec4f(0.0);
  var c1 = vec4f(0.0);
  var c2 = vec4f(0.0);
  var c3 = vec4f(0.0);
  for (var k = 0u; k < 6u + opaque; k++) {
    let a = emb[(0u + k * 4u + mb) / 4u];
    let b = delta[(0u + k * 8u + nb) / 4u];
    c0 += a[0] * b;
    c1 += a[1] * b;
    c2 += a[2] * b;
    c3 += a[3] * b;
  }
  if (mb + 0u < 4u && nb + 0u < 8u) {
    grad_params[0u + m0 * 8u + n0] = c0[0] * 0.5;
  }
  if (mb + 0u < 4u && nb + 1u < 8u) {
    grad_params[0u + m0 * 8u + n1] = c0[1] * 0.5;
  }
  if (mb + 0u < 4u && nb + 2u < 8u) {
    grad_params[0u + m0 * 8u + n2] = c0[2] * 0.5;
  }
  if (mb + 0u < 4u && nb + 3u < 8u) {
    grad_params[0u + m0 * 8u + n3] = c0[3] * 0.5;
  }
  if (mb + 1u < 4u && nb + 0u < 8u) {
    grad_params[0u + m1 * 8u + n0] = c1[0] * 0.5;
  }
  if (mb + 1u < 4u && nb + 1u < 8u) {
    grad_params[0u + m1 * 8u + n1] = c1[1] * 0.5;
  }
  if (mb + 1u < 4u && nb + 2u < 8u) {
    grad_params[0u + m1 * 8u + n2] = c1[2] * 0.5;
  }
  if (mb + 1u < 4u && nb + 3u < 8u) {
    grad_params[0u + m1 * 8u + n3] = c1[3] * 0.5;
  }
  if (mb + 2u < 4u && nb + 0u < 8u) {
    grad_params[0u + m2 * 8u + n0] = c2[0] * 0.5;
  }
  if (mb + 2u < 4u && nb + 1u < 8u) {
    grad_params[0u + m2 * 8u + n1] = c2[1] * 0.5;
  }
  if (mb + 2u < 4u && nb + 2u < 8u) {
    grad_params[0u + m2 * 8u + n2] = c2[2] * 0.5;
  }
  if (mb + 2u < 4u && nb + 3u < 8u) {
    grad_params[0u + m2 * 8u + n3] = c2[3] * 0.5;
  }
  if (mb + 3u < 4u && nb + 0u < 8u) {
    grad_params[0u + m3 * 8u + n0] = c3[0] * 0.5;
  }
  if (mb + 3u < 4u && nb + 1u < 8u) {
    grad_params[0u + m3 * 8u + n1] = c3[1] * 0.5;
  }
  if (mb + 3u < 4u && nb + 2u < 8u) {
    grad_params[0u + m3 * 8u + n2] = c3[2] * 0.5;
  }
  if (mb + 3u < 4u && nb + 3u < 8u) {
    grad_params[0u + m3 * 8u + n3] = c3[3] * 0.5;
  }
}
