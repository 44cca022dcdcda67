/** Python source of the generated PyTorch module: readers for regnn datasets: JSON (regnn-dataset-1) and extended XYZ, errors naming file, graph and field. */
export const PY_DATA = String.raw`
# ---- datasets: regnn's JSON format and extended XYZ (docs/dataset.md) ----

class DatasetError(ValueError):
    pass


def _finite_list(values, where):
    out = []

    def walk(v):
        if isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            out.append(float(v))
        else:
            raise DatasetError(where + ": " + repr(v)[:40] + " is not a finite number")

    walk(values)
    return out


def _check_graph(d, g, at, with_targets):
    """Checks one graph (dict nodes / edges / inputs / targets / cell / pbc) and returns regnn's graph dict."""
    if not isinstance(g, dict):
        raise DatasetError(at + ": expected an object")
    n = g.get("nodes")
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise DatasetError(at + ".nodes: expected a non-negative integer")
    edges = g.get("edges")
    if edges is not None:
        if not isinstance(edges, list) or any(not isinstance(e, list) or len(e) != 2 or any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in e) for e in edges):
            raise DatasetError(at + ".edges: expected [src, dst] pairs of node indices")
        for s, t in edges:
            if s >= n or t >= n:
                raise DatasetError("%s.edges: edge %d -> %d names a node beyond %d" % (at, s, t, n - 1))
    features = {}
    kinds = [("inputs", d["inputs"])] + ([("targets", d["targets"])] if with_targets else [])
    for kind, fields in kinds:
        group = g.get(kind) or {}
        if not isinstance(group, dict):
            raise DatasetError(at + "." + kind + ": expected an object")
        for f in fields:
            where = at + "." + kind + "." + f["name"]
            if f["name"] not in group:
                raise DatasetError("%s: missing (%s per %s)" % (where, f["irreps"], f["domain"]))
            flat = _finite_list(group[f["name"]], where)
            rows = n if f["domain"] == "node" else (len(edges or []) if f["domain"] == "edge" else 1)
            want = rows * f["dim"]
            if len(flat) != want:
                raise DatasetError("%s: expected %d numbers (%d %s%s x %d, irreps %s), got %d" % (where, want, rows, f["domain"], "" if rows == 1 else "s", f["dim"], f["irreps"], len(flat)))
            features[f["name"]] = flat
    out = {"num_nodes": n, "features": features}
    if g.get("pbc") is not None and g.get("cell") is None:
        raise DatasetError(at + ".pbc: given without a cell")
    if g.get("cell") is not None:
        if d["graph"]["mode"] not in ("radius", "knn"):
            raise DatasetError("%s.cell: a periodic cell needs a radius or knn graph, but the spec's graph is '%s'" % (at, d["graph"]["mode"]))
        vectors = _finite_list(g["cell"], at + ".cell")
        if len(vectors) != 9:
            raise DatasetError("%s.cell.vectors: expected 9 numbers (the lattice vectors a, b, c as rows), got %d" % (at, len(vectors)))
        pbc = g.get("pbc", [True, True, True])
        if not isinstance(pbc, list) or len(pbc) != 3 or any(not isinstance(b, bool) for b in pbc):
            raise DatasetError(at + ".pbc: expected 3 booleans")
        try:
            _cell_info(vectors, pbc, at + ".cell")
        except ValueError as e:
            raise DatasetError(str(e))
        out["cell"] = {"vectors": vectors, "pbc": pbc}
    if edges is not None:
        out["edges"] = [[e[0] for e in edges], [e[1] for e in edges]]
    elif d["graph"]["mode"] == "edges":
        if d["usesEdges"]:
            raise DatasetError(at + ".edges: missing (the spec's graph takes its edges from the data)")
        out["edges"] = [[], []]
    return out


def dataset_graphs(d, data, file, with_targets=True):
    if not isinstance(data, dict) or data.get("format") != "regnn-dataset-1" or not isinstance(data.get("graphs"), list):
        raise DatasetError(file + ": expected { \"format\": \"regnn-dataset-1\", \"graphs\": [...] }")
    return [_check_graph(d, g, "%s: graphs[%d]" % (file, i), with_targets) for i, g in enumerate(data["graphs"])]


_PAIR = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_\-]*)\s*(?:=\s*(?:\"([^\"]*)\"|'([^']*)'|\{([^}]*)\}|([^\s\"']+)))?")


def _comment_pairs(line, where):
    out = {}
    at = 0
    while at < len(line):
        if not line[at:].strip():
            break
        m = _PAIR.match(line, at)
        if not m or m.end() == at:
            raise DatasetError("%s: cannot read the comment line near '%s'" % (where, line[at:at + 20].strip()))
        value = next((v for v in m.groups()[1:] if v is not None), "T")
        out[m.group(1)] = value
        at = m.end()
    return out


def _numbers(texts, where, what):
    out = []
    for t in texts:
        try:
            v = float(t)
        except ValueError:
            v = float("nan")
        if not t.strip() or not math.isfinite(v):
            raise DatasetError("%s: %s: '%s' is not a finite number" % (where, what, t))
        out.append(v)
    return out


def extxyz_dataset(d, text, file):
    """The JSON-shaped dataset that an extended XYZ text describes (each frame one graph)."""
    lines = re.split(r"\r?\n", text)
    fields = [dict(f, kind="inputs") for f in d["inputs"]] + [dict(f, kind="targets") for f in d["targets"]]
    for f in fields:
        if f["domain"] == "edge":
            raise DatasetError("%s: '%s' is per edge, and extended XYZ has no per-edge data; use the JSON format (docs/dataset.md)" % (file, f["name"]))
    graphs = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        head = "%s:%d" % (file, i + 1)
        try:
            n = int(lines[i].strip())
        except ValueError:
            n = -1
        if n < 0:
            raise DatasetError("%s: expected the number of atoms of frame %d, found '%s'" % (head, len(graphs), lines[i].strip()[:40]))
        if i + 2 + n > len(lines):
            raise DatasetError("%s: frame %d announces %d atoms but the file ends first" % (head, len(graphs), n))
        where = "%s:%d" % (file, i + 2)
        info = _comment_pairs(lines[i + 1], where)
        parts = info.get("Properties", "species:S:1:pos:R:3").split(":")
        if len(parts) % 3:
            raise DatasetError("%s: Properties must be name:type:count triples, got '%s'" % (where, info.get("Properties")))
        cols, offset = [], 0
        for k in range(0, len(parts), 3):
            name, typ, count_text = parts[k], parts[k + 1], parts[k + 2]
            if typ not in ("S", "R", "I", "L") or not count_text.isdigit() or int(count_text) < 1:
                raise DatasetError("%s: Properties entry '%s:%s:%s' is not name:S|R|I|L:count" % (where, name, typ, count_text))
            cols.append({"name": name, "type": typ, "count": int(count_text), "offset": offset})
            offset += int(count_text)
        pbc_text = info.get("pbc", "T T T")
        pbc = []
        for t in re.split(r"[\s,]+", pbc_text.strip()):
            if t.lower() in ("t", "true"):
                pbc.append(True)
            elif t.lower() in ("f", "false"):
                pbc.append(False)
            else:
                raise DatasetError('%s: pbc must be three of T / F, got "%s"' % (where, pbc_text))
        if len(pbc) != 3:
            raise DatasetError('%s: pbc must be three of T / F, got "%s"' % (where, pbc_text))
        rows = []
        for k, line in enumerate(lines[i + 2:i + 2 + n]):
            cells = line.split()
            if len(cells) != offset:
                raise DatasetError("%s:%d: expected %d columns, found %d" % (file, i + 3 + k, offset, len(cells)))
            rows.append(cells)
        graph = {"nodes": n, "inputs": {}, "targets": {}}
        if info.get("Lattice") is not None and any(pbc):
            cell = _numbers(re.split(r"[\s,]+", info["Lattice"].strip()), where, "Lattice")
            if len(cell) != 9:
                raise DatasetError("%s: Lattice must hold 9 numbers (a, b, c), got %d" % (where, len(cell)))
            graph["cell"], graph["pbc"] = cell, pbc
        for f in fields:
            if f["domain"] == "graph":
                if f["name"] in info:
                    graph[f["kind"]][f["name"]] = _numbers(re.split(r"[\s,]+", info[f["name"]].strip()), where, f["name"])
                continue
            col = next((c for c in cols if c["name"] == f["name"]), None)
            if col is None and f["name"] == d["graph"]["positions"]:
                col = next((c for c in cols if c["name"] == "pos"), None)
            if col is None:
                continue
            if col["type"] not in ("R", "I"):
                raise DatasetError("%s: column '%s' holds %s, but '%s' needs numbers" % (where, col["name"], "text" if col["type"] == "S" else "logicals", f["name"]))
            if col["count"] != f["dim"]:
                raise DatasetError("%s: column '%s' has %d numbers per atom, but '%s' (%s) needs %d" % (where, col["name"], col["count"], f["name"], f["irreps"], f["dim"]))
            values = []
            for k, cells in enumerate(rows):
                values += _numbers(cells[col["offset"]:col["offset"] + col["count"]], "%s:%d" % (file, i + 3 + k), col["name"])
            graph[f["kind"]][f["name"]] = values
        graphs.append(graph)
        i += 2 + n
    return {"format": "regnn-dataset-1", "graphs": graphs}


def read_dataset(d, path, with_targets=True):
    """Graphs of a dataset file for this model: JSON (regnn-dataset-1) or extended XYZ (.xyz / .extxyz)."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise DatasetError("cannot read %s: %s" % (path, e.strerror or e))
    name = os.path.basename(path)
    if name.lower().endswith((".xyz", ".extxyz")):
        data = extxyz_dataset(d, text, name)
    else:
        try:
            data = json.loads(text)
        except ValueError as e:
            raise DatasetError("%s: not valid JSON (%s)" % (name, e))
    return dataset_graphs(d, data, name, with_targets)
`;
