struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> pos: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> src: array<u32>;
@group(0) @binding(3) var<storage, read> dst: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

override wg_size: u32 = 64u;
@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = gid.x + gid.y * (nwg.x * wg_size);
  if (row >= params.rows) { return; }
  let base = row * 9u;
  let ps = src[row] * 3u;
  let pd = dst[row] * 3u;
  let v = vec3f(pos[pd] - pos[ps], pos[pd + 1u] - pos[ps + 1u], pos[pd + 2u] - pos[ps + 2u]);
  // |v| without underflow/overflow of the squares: scale by the largest component first.
  let m = max(max(abs(v.x), abs(v.y)), abs(v.z));
  let nonzero = m > 0.0;
  let w = v * select(0.0, 1.0 / m, nonzero);
  let lw = length(w);
  let u = select(vec3f(0.0), w / lw, nonzero);
  let x = u;
  let x0 = x.x;
  let x1 = x.y;
  let x2 = x.z;
  let p0 = 1.0;
  let p1 = 1.73205078 * x0;
  let p2 = 1.73205078 * x1;
  let p3 = 1.73205078 * x2;
  let p4 = 1.11803401 * p1 * x2 + 1.11803401 * p3 * x0;
  let p5 = 1.11803401 * p1 * x1 + 1.11803401 * p2 * x0;
  let p6 = -0.645497203 * p1 * x0 + 1.29099441 * p2 * x1 + -0.645497203 * p3 * x2;
  let p7 = 1.11803401 * p2 * x2 + 1.11803401 * p3 * x1;
  let p8 = -1.11803401 * p1 * x0 + 1.11803401 * p3 * x2;
  y[base + 0u] = p0;
  y[base + 1u] = p1;
  y[base + 2u] = p2;
  y[base + 3u] = p3;
  y[base + 4u] = p4;
  y[base + 5u] = p5;
  y[base + 6u] = p6;
  y[base + 7u] = p7;
  y[base + 8u] = p8;
}
