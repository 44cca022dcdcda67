/** Python source of the generated PyTorch module: the torch.nn.Module: forward over the IR's layers, loss, regularisers, group lasso's proximal step, weights by name, regnn's seeded initialisation and batch order. */
export const PY_MODEL = String.raw`
# ---- the model ----

class RegnnModel(torch.nn.Module):
    """The compiled model as a torch.nn.Module. 'params' is the flat parameter vector in the IR's layout
    (float64 by default); 'weight(name)' is a view of one named parameter. Forward takes a batch from
    'batch_graphs' and returns each output by name."""

    DATA = _DATA

    def __init__(self, seed=None, dtype=torch.float64):
        super().__init__()
        d = self.DATA
        self.params = torch.nn.Parameter(torch.zeros(d["paramCount"], dtype=dtype))
        self._cg_index = {}
        for i, (key, values) in enumerate(sorted(d["cg"].items())):
            l1, l2, l3 = [int(v) for v in key.split(",")]
            self.register_buffer("cg_%d" % i, torch.tensor(values, dtype=dtype).reshape(2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1))
            self._cg_index[key] = "cg_%d" % i
        for li, layer in enumerate(d["layers"]):
            if "theta" in layer:
                for bi, b in enumerate(layer["theta"]["blocks"]):
                    self.register_buffer("theta_basis_%d_%d" % (li, bi), torch.tensor(b["basis"], dtype=dtype).reshape(b["rank"], b["d"]))
        self._params_by_name = {p["name"]: p for p in d["params"]}
        with torch.no_grad():
            self.params.copy_(initial_params(d, 0 if seed is None else seed, dtype))

    # -- parameters by name --
    def weight(self, name):
        p = self._params_by_name.get(name)
        if p is None:
            raise KeyError("the model has no parameter " + repr(name))
        return self.params[p["offset"]:p["offset"] + p["size"]].view(p["shape"])

    def named_weights(self):
        return {p["name"]: self.weight(p["name"]) for p in self.DATA["params"]}

    def _cg(self):
        return {key: getattr(self, name) for key, name in self._cg_index.items()}

    def _bases(self, li):
        layer = self.DATA["layers"][li]
        return [getattr(self, "theta_basis_%d_%d" % (li, bi)) for bi in range(len(layer["theta"]["blocks"]))]

    def thetas(self):
        """Each relaxed layer's theta (its irreps layout), from the current parameters."""
        out = {}
        for li, layer in enumerate(self.DATA["layers"]):
            if "theta" in layer:
                out[layer["name"]] = theta_from_coefficients(layer["theta"], self.params, self._bases(li))
        return out

    # -- forward --
    def forward(self, batch):
        return self.run(batch)["outputs"]

    def run(self, batch):
        """Every value by name (inputs, edge attributes, layers) and the outputs."""
        d = self.DATA
        params = self.params
        feats = batch["features"]
        values = {}
        for f in d["inputs"]:
            if f["name"] not in feats:
                raise ValueError("batch: input " + repr(f["name"]) + " is missing")
            values[f["name"]] = feats[f["name"]]
        src, dst = batch["edge_src"], batch["edge_dst"]
        if d["edgeAttrs"]:
            pos_name = d["graph"]["positions"]
            if pos_name is not None:
                pos = values[pos_name]
                vec = pos.index_select(0, dst) - pos.index_select(0, src)
                if batch.get("edge_shift") is not None:
                    vec = vec + batch["edge_shift"]
            elif batch.get("edge_vectors") is not None:
                vec = batch["edge_vectors"]
            else:
                raise ValueError("the model has edge attributes but the batch has neither positions nor edge vectors")
            tables = [self._cg()[key] for key in d["shTables"]]
            for a in d["edgeAttrs"]:
                if a["op"] == "spherical_harmonics":
                    values[a["name"]] = spherical_harmonics(a, vec, tables)
                else:
                    r, _ = _safe_norm(vec)
                    values[a["name"]] = radial_basis(a, r, d["constants"]["smoothFinite"])
        cg = self._cg()
        for li, layer in enumerate(d["layers"]):
            values[layer["name"]] = self._layer(li, layer, values, batch, params, cg)
        outputs = {o["name"]: values[o["source"]] for o in d["outputs"]}
        return {"values": values, "outputs": outputs}

    def _rows(self, domain, batch):
        return batch["num_nodes"] if domain == "node" else (batch["edge_src"].shape[0] if domain == "edge" else batch["num_graphs"])

    def _layer(self, li, layer, values, batch, params, cg):
        op = layer["op"]
        x = values[layer["inputs"][0]]
        rows = self._rows(layer["domain"], batch)
        dtype, device = params.dtype, params.device
        if op in ("conv", "relaxed_conv"):
            src, dst = batch["edge_src"], batch["edge_dst"]
            xs = x.index_select(0, src)
            y_sh, emb = values[layer["inputs"][1]], values[layer["inputs"][2]]
            radial = radial_mlp(layer["radial"], params, emb)
            if op == "conv":
                m = tensor_product(layer["tp"], cg, xs, y_sh, radial)
            else:
                theta = theta_from_coefficients(layer["theta"], params, self._bases(li))
                w = layer["weight"]
                f = tensor_product(layer["tpTheta"], cg, theta.expand(xs.shape[0], -1), y_sh, params[w["offset"]:w["offset"] + w["size"]])
                m = tensor_product(layer["tpMessage"], cg, xs, f, radial)
            out = torch.zeros(batch["num_nodes"], layer["dimOut"], dtype=dtype, device=device).index_add(0, dst, m)
            return out / math.sqrt(layer["numNeighbors"])
        if op in ("linear", "self_connection", "relaxed_node"):
            w = layer["weight"]
            weight = params[w["offset"]:w["offset"] + w["size"]]
            if op == "relaxed_node":
                second = theta_from_coefficients(layer["theta"], params, self._bases(li)).expand(rows, -1)
            elif op == "self_connection" and layer["attr"] is not None:
                second = values[layer["attr"]]
            else:
                second = torch.ones(rows, 1, dtype=dtype, device=device)
            return tensor_product(layer["tp"], cg, x, second, weight)
        if op == "gate":
            ds, ng = layer["dS"], layer["nG"]
            scalars = layer["actScalarsScale"] * ACTIVATIONS[layer["actScalars"]](x[:, :ds])
            gates = layer["actGatesScale"] * ACTIVATIONS[layer["actGates"]](x[:, ds:ds + ng])
            index = torch.tensor(layer["gateOf"], dtype=torch.long, device=device)
            gated = x[:, ds + ng:] * gates.index_select(1, index)
            return torch.cat([scalars, gated], dim=1)
        if op == "norm":
            w = layer["weight"]
            weight = params[w["offset"]:w["offset"] + w["size"]]
            parts = []
            for b in layer["blocks"]:
                n = b["mul"] * b["d"]
                y = x[:, b["off"]:b["off"] + n]
                if b["centre"]:
                    y = y - y.mean(dim=1, keepdim=True)
                s = torch.sqrt((y * y).mean(dim=1, keepdim=True) + layer["eps"])
                scale = weight[b["channel"]:b["channel"] + b["mul"]].repeat_interleave(b["d"])
                parts.append(y / s * scale)
            return torch.cat(parts, dim=1)
        if op == "pool":
            node_graph = batch["node_graph"]
            out = torch.zeros(batch["num_graphs"], x.shape[1], dtype=dtype, device=device).index_add(0, node_graph, x)
            if layer["reduce"] == "mean":
                counts = torch.bincount(node_graph, minlength=batch["num_graphs"]).to(dtype)
                out = out * torch.where(counts > 0, 1.0 / torch.clamp(counts, min=1), torch.zeros_like(counts))[:, None]
            return out
        if op == "add":
            return x + values[layer["inputs"][1]]
        if op == "concat":
            return torch.cat([values[n] for n in layer["inputs"]], dim=1)
        raise ValueError("unknown layer op " + repr(op))

    # -- training objective --
    def loss(self, outputs, batch):
        """The spec's loss (sse or mse) of its output against the batch's target."""
        spec = self.DATA["train"]["loss"]
        if spec is None:
            raise ValueError("the spec declares no loss")
        y = outputs[spec["output"]]
        t = batch["features"][spec["target"]]
        sq = ((y - t) ** 2).sum()
        return sq if spec["kind"] == "sse" else sq / max(1, y.numel())

    def regularization(self, terms="all"):
        """The spec's regularisers on every relaxed layer's theta (terms="smooth": l2 only, as in the gradient)."""
        total = self.params.new_zeros(())
        regs = self.DATA["train"]["regularize"]
        for li, layer in enumerate(self.DATA["layers"]):
            if "theta" not in layer:
                continue
            theta = theta_from_coefficients(layer["theta"], self.params, self._bases(li))
            penalised = [b for b in layer["theta"]["blocks"] if not b["scalar"]]
            for reg in regs:
                if reg["kind"] == "l2":
                    count = sum(b["mul"] * b["d"] for b in penalised)
                    if count == 0:
                        continue
                    for b in penalised:
                        t = theta[b["thetaOffset"]:b["thetaOffset"] + b["mul"] * b["d"]]
                        total = total + reg["weight"] * (t * t).sum() / count
                elif terms == "all":
                    for b in penalised:
                        t = theta[b["thetaOffset"]:b["thetaOffset"] + b["mul"] * b["d"]].reshape(b["mul"], b["d"])
                        sq = (t * t).sum(dim=1)
                        # The subgradient at a zero copy is 0 (as regnn's), not sqrt's NaN.
                        norm = torch.where(sq > 0, torch.sqrt(torch.where(sq > 0, sq, torch.ones_like(sq))), torch.zeros_like(sq))
                        total = total + reg["weight"] * norm.sum()
        return total

    @torch.no_grad()
    def proximal_group_lasso(self, step):
        """Group lasso's proximal step: each non-0e theta copy scaled by max(0, 1 - step*lambda/|copy|)."""
        lam = sum(r["weight"] for r in self.DATA["train"]["regularize"] if r["kind"] == "group_lasso")
        if lam == 0:
            return
        for layer in self.DATA["layers"]:
            if "theta" not in layer:
                continue
            off = layer["theta"]["param"]["offset"]
            for b in layer["theta"]["blocks"]:
                if b["scalar"] or b["rank"] == 0:
                    continue
                c = self.params[off + b["coefOffset"]:off + b["coefOffset"] + b["mul"] * b["rank"]].view(b["mul"], b["rank"])
                norm = torch.sqrt((c * c).sum(dim=1))
                scale = torch.where(norm > 0, torch.clamp(1 - step * lam / torch.where(norm > 0, norm, torch.ones_like(norm)), min=0), torch.zeros_like(norm))
                c.mul_(scale[:, None])

    # -- weights files --
    def save_weights(self, path, dtype="F32"):
        """regnn's weights file: one tensor per parameter under its IR name (F32 as regnn writes, or F64)."""
        tensors = {name: t.detach() for name, t in self.named_weights().items()}
        write_safetensors(path, tensors, {"model": self.DATA["model"], "spec_sha256": self.DATA["specSha256"], "format": "regnn-weights-1"}, dtype)

    def load_weights(self, path):
        """Loads regnn (or e3nn, same names) weights: every parameter by name and size."""
        tensors, metadata = read_safetensors(path)
        self.load_named(tensors, path)
        return metadata

    @torch.no_grad()
    def load_named(self, tensors, what="weights"):
        for p in self.DATA["params"]:
            t = tensors.get(p["name"])
            if t is None:
                raise ValueError(what + ": missing tensor " + repr(p["name"]))
            if t.numel() != p["size"]:
                raise ValueError("%s: tensor %r has %d numbers, expected %d (shape %s)" % (what, p["name"], t.numel(), p["size"], p["shape"]))
            self.params[p["offset"]:p["offset"] + p["size"]] = t.reshape(-1).to(self.params.dtype)


def _mulberry32(seed):
    state = [seed & 0xFFFFFFFF]
    mask = 0xFFFFFFFF

    def rng():
        state[0] = (state[0] + 0x6D2B79F5) & mask
        t = state[0]
        t = ((t ^ (t >> 15)) * (t | 1)) & mask
        t = t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & mask)) & mask)
        return ((t ^ (t >> 14)) & mask) / 4294967296.0

    return rng


def _random_normal(rng):
    u = 0.0
    while u == 0.0:
        u = rng()
    return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * rng())


def initial_params(d, seed, dtype=torch.float64):
    """regnn's deterministic initialisation (the same seeded stream): normal N(0, 1), ones, zeros, scalar theta."""
    rng = _mulberry32(seed)
    out = [0.0] * d["paramCount"]
    for p in d["params"]:
        if p["init"] == "normal":
            for i in range(p["size"]):
                out[p["offset"] + i] = _random_normal(rng)
        elif p["init"] == "ones":
            for i in range(p["size"]):
                out[p["offset"] + i] = 1.0
    for layer in d["layers"]:
        if "theta" in layer:
            off = layer["theta"]["param"]["offset"]
            for b in layer["theta"]["blocks"]:
                if b["scalar"]:
                    for u in range(b["mul"]):
                        out[off + b["coefOffset"] + u] = b["basis"][0]
    return torch.tensor(out, dtype=dtype)


def epoch_order(count, seed, epoch):
    """regnn's batch order of an epoch: a Fisher-Yates shuffle seeded by (seed, epoch) alone."""
    mask = 0xFFFFFFFF
    rng = _mulberry32((((epoch + 1) * 0x9E3779B1) & mask) ^ (seed & mask) ^ 0x5EED)
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = int(math.floor(rng() * (i + 1)))
        order[i], order[j] = order[j], order[i]
    return order
`;
