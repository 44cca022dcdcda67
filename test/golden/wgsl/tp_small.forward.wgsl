struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x1: array<f32>;
@group(0) @binding(1) var<storage, read> x2: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<storage, read> idx1: array<u32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * 64u);
  if (row >= params.rows) { return; }
  let base1 = idx1[row] * 5u;
  let base2 = row * 4u;
  let baseW = row * 4u;
  let baseO = row * 4u;
  for (var i = 0u; i < 4u; i++) { out[baseO + i] = 0.0; }
  // path 0: 2x(1) x 1x(1) -> 1x(1) uvw
  for (var u = 0u; u < 2u; u++) {
    for (var v = 0u; v < 1u; v++) {
      let a = base1 + 0u + u * 1u;
      let b = base2 + 0u + v * 1u;
      let a0 = x1[a + 0u];
      let b0 = x2[b + 0u];
      let t0 = 0.577350259 * a0 * b0;
      for (var w = 0u; w < 1u; w++) {
        let c = weight[baseW + 0u + (u * 1u + v) * 1u + w];
        let o = baseO + 0u + w * 1u;
        out[o + 0u] += c * t0;
      }
    }
  }
  // path 1: 1x(3) x 1x(3) -> 1x(1) uvw
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
      for (var w = 0u; w < 1u; w++) {
        let c = weight[baseW + 2u + (u * 1u + v) * 1u + w];
        let o = baseO + 0u + w * 1u;
        out[o + 0u] += c * t0;
      }
    }
  }
  // path 2: 1x(3) x 1x(3) -> 1x(3) uvw
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
      for (var w = 0u; w < 1u; w++) {
        let c = weight[baseW + 3u + (u * 1u + v) * 1u + w];
        let o = baseO + 1u + w * 3u;
        out[o + 0u] += c * t0;
        out[o + 1u] += c * t1;
        out[o + 2u] += c * t2;
      }
    }
  }
}
