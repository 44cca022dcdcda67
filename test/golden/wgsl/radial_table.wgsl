struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> pos: array<f32>;
@group(0) @binding(1) var<storage, read_write> stencil: array<f32>;
@group(0) @binding(2) var<storage, read> src: array<u32>;
@group(0) @binding(3) var<storage, read> dst: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let ps = src[row] * 3u;
  let pd = dst[row] * 3u;
  let v = vec3f(pos[pd] - pos[ps], pos[pd + 1u] - pos[ps + 1u], pos[pd + 2u] - pos[ps + 2u]);
  // |v| without underflow/overflow of the squares: scale by the largest component first.
  let m = max(max(abs(v.x), abs(v.y)), abs(v.z));
  let nonzero = m > 0.0;
  let w = v * select(0.0, 1.0 / m, nonzero);
  let lw = length(w);
  let r = m * lw;
  let p = (r - 0.0) * 8.0;
  let inside = r > 0.0 && r < 1.0;
  let b = clamp(floor(p) - 1.0, 0.0, 5.0);
  let t = p - b;
  let s = row * 5u;
  stencil[s] = b;
  stencil[s + 1u] = select(0.0, -(t - 1.0) * (t - 2.0) * (t - 3.0) * (1.0 / 6.0), inside);
  stencil[s + 2u] = select(0.0, t * (t - 2.0) * (t - 3.0) * 0.5, inside);
  stencil[s + 3u] = select(0.0, -t * (t - 1.0) * (t - 3.0) * 0.5, inside);
  stencil[s + 4u] = select(0.0, t * (t - 1.0) * (t - 2.0) * (1.0 / 6.0), inside);
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> stencil: array<f32>;
@group(0) @binding(1) var<storage, read> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let s = row * 5u;
  let t0 = u32(stencil[s]) * 3u;
  let l = vec4f(stencil[s + 1u], stencil[s + 2u], stencil[s + 3u], stencil[s + 4u]);
  for (var j = 0u; j < 3u; j++) {
    let v = vec4f(table[t0 + j], table[t0 + 3u + j], table[t0 + 6u + j], table[t0 + 9u + j]);
    out[row * 3u + j] = dot(l, v);
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> stencil: array<f32>;
@group(0) @binding(1) var<storage, read> grad_rows: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let c = row / 3u;
  let j = row % 3u;
  let per = (params.edges + 1u) / 2u;
  let e0 = min(c * per, params.edges);
  let e1 = min(e0 + per, params.edges);
  let base = c * 27u + j;
  for (var k = 0u; k < 9u; k++) { partial[base + k * 3u] = 0.0; }
  for (var e = e0; e < e1; e++) {
    let s = e * 5u;
    let g = grad_rows[e * 3u + j];
    let o = base + u32(stencil[s]) * 3u;
    partial[o] += stencil[s + 1u] * g;
    partial[o + 3u] += stencil[s + 2u] * g;
    partial[o + 6u] += stencil[s + 3u] * g;
    partial[o + 9u] += stencil[s + 4u] * g;
  }
}

// ----
struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad_table: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  var s = 0.0;
  for (var c = 0u; c < 2u; c++) { s += partial[c * 27u + row]; }
  grad_table[row] = s;
}
