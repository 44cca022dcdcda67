struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let n = params.edges;
  var s = 0.0;
  for (var r = 0u; r < n; r++) { s += src[r * 3u + row]; }
  dst[5u + row] += s;
}
