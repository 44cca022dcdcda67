/** Python source of the generated PyTorch module: edges as regnn builds them (radius, knn, full, given; periodic images) and batches. */
export const PY_GRAPH = String.raw`
# ---- graphs: edges as regnn builds them (runtime/graph), and batches ----
# Distances are compared as dx*dx + dy*dy + dz*dz < r*r in float64, ties go to the lower source index,
# and edges come sorted by destination, then source (then lattice shift), as in regnn.

def _d2(pos_dst, pos_src):
    dx = pos_dst[:, None, 0] - pos_src[None, :, 0]
    dy = pos_dst[:, None, 1] - pos_src[None, :, 1]
    dz = pos_dst[:, None, 2] - pos_src[None, :, 2]
    return dx * dx + dy * dy + dz * dz


def _pick(d2, candidates, limit):
    """Per destination row: candidate source columns (bool mask), at most 'limit' nearest (ties: lower index)."""
    out = []
    for i in range(d2.shape[0]):
        cols = torch.nonzero(candidates[i], as_tuple=False).reshape(-1).tolist()
        if limit is not None and len(cols) > limit:
            row = d2[i].tolist()
            cols = sorted(cols, key=lambda j: (row[j], j))[:limit]
        out.append(sorted(cols))
    return out


def radius_edges(pos, radius, max_neighbors=None, images=None):
    n = pos.shape[0]
    pts = pos if images is None else images["pos"]
    d2 = _d2(pos, pts)
    cand = d2 < radius * radius
    idx = torch.arange(n)
    cand[idx, idx] = False
    return _pick(d2, cand, max_neighbors)


def knn_edges(pos, k, images=None):
    n = pos.shape[0]
    pts = pos if images is None else images["pos"]
    d2 = _d2(pos, pts)
    cand = torch.ones_like(d2, dtype=torch.bool)
    idx = torch.arange(n)
    cand[idx, idx] = False
    return _pick(d2, cand, min(k, max(0, pts.shape[0] - 1)))


def _cell_info(vectors, pbc, where):
    v = [float(x) for x in vectors]
    d = v[0] * (v[4] * v[8] - v[5] * v[7]) - v[1] * (v[3] * v[8] - v[5] * v[6]) + v[2] * (v[3] * v[7] - v[4] * v[6])
    scale = max(abs(x) for x in v)
    if not abs(d) > 1e-12 * scale ** 3:
        raise ValueError(where + ".vectors: the lattice vectors are not independent (zero volume)")
    inv = [x / d for x in [
        v[4] * v[8] - v[5] * v[7], v[2] * v[7] - v[1] * v[8], v[1] * v[5] - v[2] * v[4],
        v[5] * v[6] - v[3] * v[8], v[0] * v[8] - v[2] * v[6], v[2] * v[3] - v[0] * v[5],
        v[3] * v[7] - v[4] * v[6], v[1] * v[6] - v[0] * v[7], v[0] * v[4] - v[1] * v[3]]]
    spacing = [1 / math.hypot(inv[a], inv[3 + a], inv[6 + a]) for a in range(3)]
    return v, list(pbc), inv, spacing


def _images(pos, cell, reach):
    v, pbc, inv, spacing = cell
    p = pos.tolist()
    n = len(p)
    ranges = []
    for a in range(3):
        if not pbc[a] or n == 0:
            ranges.append(0)
            continue
        f = [q[0] * inv[a] + q[1] * inv[3 + a] + q[2] * inv[6 + a] for q in p]
        ranges.append(int(math.floor(max(f) - min(f) + reach / spacing[a])) + 1)
    count = n
    for r in ranges:
        count *= 2 * r + 1
    if count > 4000000:
        raise ValueError("the cell is too small for a neighbour distance of %g: %d periodic images would be needed" % (reach, count))
    shifts = [(0, 0, 0)] + [(i, j, k) for i in range(-ranges[0], ranges[0] + 1) for j in range(-ranges[1], ranges[1] + 1) for k in range(-ranges[2], ranges[2] + 1) if i or j or k]
    pts, node, trans = [], [], []
    # regnn's loops start at -range, which is the float -0 when the range is 0: keep that zero's sign.
    signed = [(lambda m, r=r: -0.0 if (m == 0 and r == 0) else float(m)) for r in ranges]
    for n_shift, (i, j, k) in enumerate(shifts):
        if n_shift:
            i, j, k = signed[0](i), signed[1](j), signed[2](k)
        t = [i * v[c] + j * v[3 + c] + k * v[6 + c] for c in range(3)]
        for a in range(n):
            pts.append([p[a][c] + t[c] for c in range(3)])
            node.append(a)
            trans.append(t)
    return {"pos": torch.tensor(pts, dtype=torch.float64).reshape(-1, 3), "node": node, "translation": trans}


def _to_nodes(lists, img):
    edges = []
    for dst, cols in enumerate(lists):
        for c in cols:
            shift = [-x for x in img["translation"][c]]
            edges.append((dst, img["node"][c], shift[0], shift[1], shift[2]))
    edges.sort()
    return [e[1] for e in edges], [e[0] for e in edges], [[e[2], e[3], e[4]] for e in edges]


def graph_edges(graph_spec, g, positions):
    """(src, dst, shift or None) of one graph, as regnn builds them for the spec's graph mode."""
    mode = graph_spec["mode"]
    n = g["num_nodes"]
    if mode == "edges":
        pairs = sorted(zip(g["edges"][1], g["edges"][0]), key=lambda e: (e[0], e[1])) if g.get("edges") else []
        return [p[1] for p in pairs], [p[0] for p in pairs], None
    if mode == "full":
        return [s for d in range(n) for s in range(n) if s != d], [d for d in range(n) for s in range(n) if s != d], None
    pos = positions
    cell = g.get("cell")
    if cell is None:
        lists = radius_edges(pos, graph_spec["radius"], graph_spec["maxNeighbors"]) if mode == "radius" else knn_edges(pos, graph_spec["k"])
        return [s for cols in lists for s in cols], [d for d, cols in enumerate(lists) for _ in cols], None
    info = _cell_info(cell["vectors"], cell.get("pbc", [True, True, True]), "cell")
    if mode == "radius":
        img = _images(pos, info, graph_spec["radius"])
        return _to_nodes(radius_edges(pos, graph_spec["radius"], graph_spec["maxNeighbors"], img), img)
    k = graph_spec["k"]
    if n == 0 or k == 0:
        return [], [], []
    reach = min(info[3])
    while True:
        img = _images(pos, info, reach)
        src, dst, shift = _to_nodes(knn_edges(pos, k, img), img)
        far = 0.0
        p = pos.tolist()
        for s, d, sh in zip(src, dst, shift):
            far = max(far, math.hypot(p[d][0] - p[s][0] + sh[0], p[d][1] - p[s][1] + sh[1], p[d][2] - p[s][2] + sh[2]))
        if (len(src) == n * k or not any(info[1])) and far < reach:
            return src, dst, shift
        reach *= 2


def batch_graphs(model_data, graphs, dtype=torch.float64, device=None):
    """Stacks graphs (dicts: num_nodes, features {name: flat list or tensor}, edges [src, dst] lists, cell)
    into one batch: edges per the spec's graph mode, node indices offset per graph, edges sorted by
    destination, features as (rows, dim) tensors."""
    d = model_data
    fields = {f["name"]: f for f in d["inputs"] + d["targets"]}
    pos_name = d["graph"]["positions"]
    srcs, dsts, shifts, node_graph, feats = [], [], [], [], {name: [] for name in fields}
    any_shift = False
    base = 0
    for gi, g in enumerate(graphs):
        n = g["num_nodes"]
        pos = None
        if pos_name is not None and pos_name in g["features"]:
            pos = torch.as_tensor(g["features"][pos_name], dtype=torch.float64).reshape(n, 3)
        uses_edges = d["graph"]["mode"] != "edges" or g.get("edges") is not None
        if d["graph"]["mode"] in ("radius", "knn") and pos is None:
            raise ValueError("graphs[%d]: the positions are needed to build its edges" % gi)
        if "_edges" in g:
            src, dst, shift = g["_edges"]
        else:
            src, dst, shift = graph_edges(d["graph"], g, pos) if uses_edges else ([], [], None)
        order = None
        if d["graph"]["mode"] == "edges" and g.get("edges"):
            pairs = list(zip(g["edges"][1], g["edges"][0], range(len(g["edges"][0]))))
            order = [p[2] for p in sorted(pairs, key=lambda e: (e[0], e[1]))]
        srcs += [s + base for s in src]
        dsts += [t + base for t in dst]
        if shift is not None:
            any_shift = True
            shifts += shift
        else:
            shifts += [[0.0, 0.0, 0.0]] * len(src)
        node_graph += [gi] * n
        for name, f in fields.items():
            if name not in g["features"]:
                continue
            x = torch.as_tensor(g["features"][name], dtype=dtype).reshape(-1, f["dim"])
            if f["domain"] == "edge" and order is not None:
                x = x[torch.tensor(order, dtype=torch.long)]
            feats[name].append(x)
        base += n
    features = {name: torch.cat(xs).to(device) for name, xs in feats.items() if xs and len(xs) == len(graphs)}
    batch = {
        "num_graphs": len(graphs),
        "num_nodes": base,
        "node_graph": torch.tensor(node_graph, dtype=torch.long, device=device),
        "edge_src": torch.tensor(srcs, dtype=torch.long, device=device),
        "edge_dst": torch.tensor(dsts, dtype=torch.long, device=device),
        "features": features,
    }
    if any_shift:
        batch["edge_shift"] = torch.tensor(shifts, dtype=dtype, device=device).reshape(-1, 3)
    return batch


def cache_edges(model_data, graphs):
    """Builds each graph's edges once (training batches the same graphs every epoch)."""
    pos_name = model_data["graph"]["positions"]
    for g in graphs:
        uses_edges = model_data["graph"]["mode"] != "edges" or g.get("edges") is not None
        pos = None
        if pos_name is not None and pos_name in g["features"]:
            pos = torch.as_tensor(g["features"][pos_name], dtype=torch.float64).reshape(g["num_nodes"], 3)
        if model_data["graph"]["mode"] in ("radius", "knn") and pos is None:
            continue
        g["_edges"] = graph_edges(model_data["graph"], g, pos) if uses_edges else ([], [], None)
`;
