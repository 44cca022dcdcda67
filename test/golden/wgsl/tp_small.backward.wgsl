struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x1: array<f32>;
@group(0) @binding(1) var<storage, read> x2: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<f32>;
@group(0) @binding(3) var<storage, read> grad_out: array<f32>;
@group(0) @binding(4) var<storage, read> tp_table: array<f32>;
@group(0) @binding(5) var<storage, read_write> grad_x1: array<f32>;
@group(0) @binding(6) var<storage, read_write> grad_x2: array<f32>;
@group(0) @binding(7) var<storage, read_write> grad_weight: array<f32>;
@group(0) @binding(8) var<storage, read> idx1: array<u32>;
@group(0) @binding(9) var<uniform> params: Params;

struct TpPath { off1: u32, off2: u32, offOut: u32, offW: u32, mul1: u32, mul2: u32, mulOut: u32, d1: u32, d2: u32, dOut: u32, cgStart: u32, cgCount: u32, mode: u32, hasWeight: bool, pw: f32 }

fn tp_path(p: u32) -> TpPath {
  let h = p * 16u;
  return TpPath(u32(tp_table[h]), u32(tp_table[h + 1u]), u32(tp_table[h + 2u]), u32(tp_table[h + 3u]), u32(tp_table[h + 4u]),
    u32(tp_table[h + 5u]), u32(tp_table[h + 6u]), u32(tp_table[h + 7u]), u32(tp_table[h + 8u]), u32(tp_table[h + 9u]),
    u32(tp_table[h + 10u]), u32(tp_table[h + 11u]), u32(tp_table[h + 12u]), tp_table[h + 13u] != 0.0, tp_table[h + 14u]);
}

// uvw and uuw have an output multiplicity loop (w); the other modes write one channel per (u, v).
fn tp_w_count(q: TpPath) -> u32 { return select(1u, q.mulOut, q.mode == 0u || q.mode == 3u); }

fn tp_weight_index(q: TpPath, u: u32, v: u32, w: u32) -> u32 {
  switch q.mode {
    case 0u: { return (u * q.mul2 + v) * q.mulOut + w; }
    case 1u, 2u: { return u * q.mul2 + v; }
    case 3u: { return u * q.mulOut + w; }
    default: { return u; }
  }
}

fn tp_out_channel(q: TpPath, u: u32, v: u32, w: u32) -> u32 {
  switch q.mode {
    case 0u, 3u: { return w; }
    case 2u: { return v; }
    default: { return u; }
  }
}

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let base1 = idx1[row] * 5u;
  let base2 = row * 4u;
  let baseW = row * 4u;
  let baseO = row * 4u;
  let baseG1 = row * 5u;
  let baseG2 = row * 4u;
  let baseGW = row * 4u;
  let dim1 = 5u;
  let dim2 = 4u;
  for (var i = 0u; i < dim1; i++) { grad_x1[baseG1 + i] = 0.0; }
  for (var i = 0u; i < dim2; i++) { grad_x2[baseG2 + i] = 0.0; }
  for (var p = 0u; p < 3u; p++) {
    let q = tp_path(p);
    let uu = q.mode >= 3u;
    for (var u = 0u; u < q.mul1; u++) {
      let vStart = select(0u, u, uu);
      let vEnd = select(q.mul2, u + 1u, uu);
      for (var v = vStart; v < vEnd; v++) {
        let a = base1 + q.off1 + u * q.d1;
        let b = base2 + q.off2 + v * q.d2;
        var t: array<f32, 3>;
        for (var k = 0u; k < 3u; k++) { t[k] = 0.0; }
        for (var e = 0u; e < q.cgCount; e++) {
          let c = q.cgStart + e * 4u;
          let k = u32(tp_table[c + 2u]);
          t[k] += q.pw * tp_table[c + 3u] * x1[a + u32(tp_table[c])] * x2[b + u32(tp_table[c + 1u])];
        }
        var s: array<f32, 3>;
        for (var k = 0u; k < 3u; k++) { s[k] = 0.0; }
        for (var w = 0u; w < tp_w_count(q); w++) {
          let o = baseO + q.offOut + tp_out_channel(q, u, v, w) * q.dOut;
          var c = 1.0;
          if (q.hasWeight) {
            let wi = q.offW + tp_weight_index(q, u, v, w);
            c = weight[baseW + wi];
            var dot = 0.0;
            for (var k = 0u; k < q.dOut; k++) { dot += grad_out[o + k] * t[k]; }
            grad_weight[baseGW + wi] = dot;
          }
          for (var k = 0u; k < q.dOut; k++) { s[k] += c * grad_out[o + k]; }
        }
        let ga = baseG1 + q.off1 + u * q.d1;
        let gb = baseG2 + q.off2 + v * q.d2;
        for (var e = 0u; e < q.cgCount; e++) {
          let c = q.cgStart + e * 4u;
          let i = u32(tp_table[c]);
          let j = u32(tp_table[c + 1u]);
          let g = q.pw * tp_table[c + 3u] * s[u32(tp_table[c + 2u])];
          grad_x1[ga + i] += g * x2[b + j];
          grad_x2[gb + j] += g * x1[a + i];
        }
      }
    }
  }
}
