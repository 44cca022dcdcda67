struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }
@group(0) @binding(0) var<storage, read> stencil: array<f32>;
@group(0) @binding(1) var<storage, read> grad_rows: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> stage_b: array<u32, 256>;
var<workgroup> stage_g: array<vec4f, 256>;
var<workgroup> stage_l: array<vec4f, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  // a radial table's gradient; workgroup = (chunk, 4 columns), thread t owns grid nodes t * 1 ..
  let item = wid.x + wid.y * nwg.x;
  let chunk = item / 1u;
  let idx0 = (item % 1u) * 4u;
  let live = chunk < (params.edges + 511u) / 512u;
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
      let g = vec4f(select(0.0, grad_rows[e * 3u + min(idx0 + 0u, 2u)], idx0 + 0u < 3u), select(0.0, grad_rows[e * 3u + min(idx0 + 1u, 2u)], idx0 + 1u < 3u), select(0.0, grad_rows[e * 3u + min(idx0 + 2u, 2u)], idx0 + 2u < 3u), select(0.0, grad_rows[e * 3u + min(idx0 + 3u, 2u)], idx0 + 3u < 3u));
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
    let base = chunk * 27u + 0u + idx0;
    for (var n = 0u; n < 1u; n++) {
      let c = c0 + n;
      if (c < 9u) {
        if (idx0 + 0u < 3u) { partial[base + c * 3u + 0u] = acc[n][0]; }
        if (idx0 + 1u < 3u) { partial[base + c * 3u + 1u] = acc[n][1]; }
        if (idx0 + 2u < 3u) { partial[base + c * 3u + 2u] = acc[n][2]; }
        if (idx0 + 3u < 3u) { partial[base + c * 3u + 3u] = acc[n][3]; }
      }
    }
  }
}
