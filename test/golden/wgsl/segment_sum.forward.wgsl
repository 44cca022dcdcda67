struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> msg: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dst_offsets: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let start = dst_offsets[row];
  let end = dst_offsets[row + 1u];
  for (var q = 0u; q < 3u; q++) {
    var s = 0.0;
    for (var e = start; e < end; e++) { s += msg[e * 3u + q]; }
    out[row * 3u + q] = 0.5 * s;
  }
}
