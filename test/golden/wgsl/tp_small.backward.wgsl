struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x1: array<f32>;
@group(0) @binding(1) var<storage, read> x2: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<f32>;
@group(0) @binding(3) var<storage, read> grad_out: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_x1: array<f32>;
@group(0) @binding(5) var<storage, read_write> grad_x2: array<f32>;
@group(0) @binding(6) var<storage, read_write> grad_weight: array<f32>;
@group(0) @binding(7) var<storage, read> idx1: array<u32>;
@group(0) @binding(8) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * 64u);
  if (row >= params.rows) { return; }
  let base1 = idx1[row] * 5u;
  let base2 = row * 4u;
  let baseW = row * 4u;
  let baseO = row * 4u;
  let baseG1 = row * 5u;
  let baseG2 = row * 4u;
  let baseGW = row * 4u;
  for (var i = 0u; i < 5u; i++) { grad_x1[baseG1 + i] = 0.0; }
  for (var i = 0u; i < 4u; i++) { grad_x2[baseG2 + i] = 0.0; }
  // path 0: uvw
  for (var u = 0u; u < 2u; u++) {
    for (var v = 0u; v < 1u; v++) {
      let a = base1 + 0u + u * 1u;
      let b = base2 + 0u + v * 1u;
      let a0 = x1[a + 0u];
      let b0 = x2[b + 0u];
      let t0 = 0.577350259 * a0 * b0;
      var s0 = 0.0;
      for (var w = 0u; w < 1u; w++) {
        let o = baseO + 0u + w * 1u;
        let g0 = grad_out[o + 0u];
        let c = weight[baseW + 0u + (u * 1u + v) * 1u + w];
        grad_weight[baseGW + 0u + (u * 1u + v) * 1u + w] = g0 * t0;
        s0 += c * g0;
      }
      grad_x1[baseG1 + 0u + u * 1u + 0u] += 0.577350259 * b0 * s0;
      grad_x2[baseG2 + 0u + v * 1u + 0u] += 0.577350259 * a0 * s0;
    }
  }
  // path 1: uvw
  for (var u = 0u; u < 1u; u++) {
    for (var v = 0u; v < 1u; v++) {
      let a = base1 + 2u + u * 3u;
      let b = base2 + 1u + v * 3u;
      let a0 = x1[a + 0u];
      let a1 = x1[a + 1u];
      let a2 = x1[a + 2u];
      let b0 = x2[b + 0u];
      let b1 = x2[b + 1u];
      let b2 = x2[b + 2u];
      let t0 = 0.333333343 * a0 * b0 + 0.333333343 * a1 * b1 + 0.333333343 * a2 * b2;
      var s0 = 0.0;
      for (var w = 0u; w < 1u; w++) {
        let o = baseO + 0u + w * 1u;
        let g0 = grad_out[o + 0u];
        let c = weight[baseW + 2u + (u * 1u + v) * 1u + w];
        grad_weight[baseGW + 2u + (u * 1u + v) * 1u + w] = g0 * t0;
        s0 += c * g0;
      }
      grad_x1[baseG1 + 2u + u * 3u + 0u] += 0.333333343 * b0 * s0;
      grad_x1[baseG1 + 2u + u * 3u + 1u] += 0.333333343 * b1 * s0;
      grad_x1[baseG1 + 2u + u * 3u + 2u] += 0.333333343 * b2 * s0;
      grad_x2[baseG2 + 1u + v * 3u + 0u] += 0.333333343 * a0 * s0;
      grad_x2[baseG2 + 1u + v * 3u + 1u] += 0.333333343 * a1 * s0;
      grad_x2[baseG2 + 1u + v * 3u + 2u] += 0.333333343 * a2 * s0;
    }
  }
  // path 2: uvw
  for (var u = 0u; u < 1u; u++) {
    for (var v = 0u; v < 1u; v++) {
      let a = base1 + 2u + u * 3u;
      let b = base2 + 1u + v * 3u;
      let a0 = x1[a + 0u];
      let a1 = x1[a + 1u];
      let a2 = x1[a + 2u];
      let b0 = x2[b + 0u];
      let b1 = x2[b + 1u];
      let b2 = x2[b + 2u];
      let t0 = 0.707106769 * a1 * b2 + -0.707106769 * a2 * b1;
      let t1 = -0.707106769 * a0 * b2 + 0.707106769 * a2 * b0;
      let t2 = 0.707106769 * a0 * b1 + -0.707106769 * a1 * b0;
      var s0 = 0.0;
      var s1 = 0.0;
      var s2 = 0.0;
      for (var w = 0u; w < 1u; w++) {
        let o = baseO + 1u + w * 3u;
        let g0 = grad_out[o + 0u];
        let g1 = grad_out[o + 1u];
        let g2 = grad_out[o + 2u];
        let c = weight[baseW + 3u + (u * 1u + v) * 1u + w];
        grad_weight[baseGW + 3u + (u * 1u + v) * 1u + w] = g0 * t0 + g1 * t1 + g2 * t2;
        s0 += c * g0;
        s1 += c * g1;
        s2 += c * g2;
      }
      grad_x1[baseG1 + 2u + u * 3u + 0u] += 0.707106769 * b1 * s2 + -0.707106769 * b2 * s1;
      grad_x1[baseG1 + 2u + u * 3u + 1u] += -0.707106769 * b0 * s2 + 0.707106769 * b2 * s0;
      grad_x1[baseG1 + 2u + u * 3u + 2u] += 0.707106769 * b0 * s1 + -0.707106769 * b1 * s0;
      grad_x2[baseG2 + 1u + v * 3u + 0u] += -0.707106769 * a1 * s2 + 0.707106769 * a2 * s1;
      grad_x2[baseG2 + 1u + v * 3u + 1u] += 0.707106769 * a0 * s2 + -0.707106769 * a2 * s0;
      grad_x2[baseG2 + 1u + v * 3u + 2u] += -0.707106769 * a0 * s1 + 0.707106769 * a1 * s0;
    }
  }
}
