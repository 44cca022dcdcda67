struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> graph_node_offsets: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let start = graph_node_offsets[row];
  let end = graph_node_offsets[row + 1u];
  let inv = 1.0 / f32(max(end - start, 1u));
  for (var q = 0u; q < 3u; q++) {
    var s = 0.0;
    for (var n = start; n < end; n++) { s += x[n * 3u + q]; }
    out[row * 3u + q] = s * inv;
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> grad_out: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad_x: array<f32>;
@group(0) @binding(2) var<storage, read> node_graph: array<u32>;
@group(0) @binding(3) var<storage, read> graph_node_offsets: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let g = node_graph[row];
  let inv = 1.0 / f32(graph_node_offsets[g + 1u] - graph_node_offsets[g]);
  for (var q = 0u; q < 3u; q++) { grad_x[row * 3u + q] += inv * grad_out[g * 3u + q]; }
}
