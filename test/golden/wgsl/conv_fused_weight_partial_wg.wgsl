struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> x1: array<f32>;
@group(0) @binding(1) var<storage, read> x2: array<f32>;
@group(0) @binding(2) var<storage, read> grad_out: array<f32>;
@group(0) @binding(3) var<storage, read> stencil: array<f32>;
@group(0) @binding(4) var<storage, read_write> partial4: array<vec4f>;
@group(0) @binding(5) var<storage, read> edge_src: array<u32>;
@group(0) @binding(6) var<storage, read> edge_dst: array<u32>;
@group(0) @binding(7) var<uniform> params: Params;

var<workgroup> stage_b: array<u32, 256>;
var<workgroup> stage_g: array<vec4f, 256>;
var<workgroup> stage_l: array<vec4f, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  // path 1: uvu; workgroup = (chunk, 4 columns), thread t owns grid nodes t * 1 ..
  let item = wid.x + wid.y * nwg.x;
  let chunk = item / 1u;
  let idx0 = (item % 1u) * 4u;
  let live = chunk < (params.edges + 511u) / 512u;
  let idx = min(vec4u(idx0) + vec4u(0u, 1u, 2u, 3u), vec4u(3u));
  let u = idx / 1u;
  let w = u;
  let c0 = t * 1u;
  var acc: array<vec4f, 1>;
  let held = min(params.edges - min(chunk * 512u, params.edges), 512u);
  for (var r = 0u; r < min((held + 255u) / 256u, 2u); r++) {
    let q = r * 256u + t;
    let e = chunk * 512u + q;
    var sb = 256u;
    var sg = vec4f(0.0);
    var sl = vec4f(0.0);
    if (live && q < 512u && e < params.edges) {
      let s = e * 5u;
      let xb = edge_src[e] * 10u + 0u;
      let yb = e * 4u + 1u;
      let gb = edge_dst[e] * 24u + 6u;
      let a0 = vec4f(x1[xb + u.x * 1u + 0u], x1[xb + u.y * 1u + 0u], x1[xb + u.z * 1u + 0u], x1[xb + u.w * 1u + 0u]);
      let y0 = x2[yb + 0u];
      let y1 = x2[yb + 1u];
      let y2 = x2[yb + 2u];
      let gv0 = vec4f(grad_out[gb + w.x * 3u + 0u], grad_out[gb + w.y * 3u + 0u], grad_out[gb + w.z * 3u + 0u], grad_out[gb + w.w * 3u + 0u]);
      let gv1 = vec4f(grad_out[gb + w.x * 3u + 1u], grad_out[gb + w.y * 3u + 1u], grad_out[gb + w.z * 3u + 1u], grad_out[gb + w.w * 3u + 1u]);
      let gv2 = vec4f(grad_out[gb + w.x * 3u + 2u], grad_out[gb + w.y * 3u + 2u], grad_out[gb + w.z * 3u + 2u], grad_out[gb + w.w * 3u + 2u]);
      let g = 0.25 * (gv0 * (1.0 * a0 * y0) + gv1 * (1.0 * a0 * y1) + gv2 * (1.0 * a0 * y2));
      sb = u32(stencil[s]);
      sg = g;
      sl = vec4f(stencil[s + 1u], stencil[s + 2u], stencil[s + 3u], stencil[s + 4u]);
    }
    stage_b[t] = sb;
    stage_g[t] = sg;
    stage_l[t] = sl;
    workgroupBarrier();
    for (var i = 0u; i < 256u; i++) {
      let b = stage_b[i];
      if (b + 3u >= c0 && b < c0 + 1u) {
        let gi = stage_g[i];
        let li = stage_l[i];
        for (var m = 0u; m < 4u; m++) {
          let c = b + m;
          if (c >= c0 && c < c0 + 1u) { acc[c - c0] += li[m] * gi; }
        }
      }
    }
    workgroupBarrier();
  }
  if (live) {
    let base = chunk * 108u + 4u + idx0;
    for (var n = 0u; n < 1u; n++) {
      let c = c0 + n;
      if (c < 9u) { partial4[(base + c * 12u) / 4u] = acc[n]; }
    }
  }
}
