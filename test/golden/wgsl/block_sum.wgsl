struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let j = row % 3u;
  let b = row / 3u;
  let n = params.nodes;
  let r0 = b * 256u;
  let r1 = min(r0 + 256u, n);
  var s = 0.0;
  for (var r = r0; r < r1; r++) { s += src[r * 3u + j]; }
  dst[b * 3u + j] = s;
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let j = row % 3u;
  let b = row / 3u;
  let n = (params.nodes / 256u + select(0u, 1u, params.nodes % 256u != 0u));
  let r0 = b * 256u;
  let r1 = min(r0 + 256u, n);
  var s = 0.0;
  for (var r = r0; r < r1; r++) { s += src[r * 3u + j]; }
  dst[b * 3u + j] = s;
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let j = row % 3u;
  let b = row / 3u;
  let n = (params.nodes / 65536u + select(0u, 1u, params.nodes % 65536u != 0u));
  let r0 = b * 256u;
  let r1 = min(r0 + 256u, n);
  var s = 0.0;
  for (var r = r0; r < r1; r++) { s += src[r * 3u + j]; }
  dst[b * 3u + j] = s;
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let n = min((params.nodes / 16777216u + select(0u, 1u, params.nodes % 16777216u != 0u)), 256u);
  var s = 0.0;
  for (var r = 0u; r < n; r++) { s += src[r * 3u + row]; }
  dst[2u + row] += s;
}
