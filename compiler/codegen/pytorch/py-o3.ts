/** Python source of the generated PyTorch module: activations, spherical harmonics, radial bases, tensor products, the radial MLP and θ = B c, in torch. */
export const PY_O3 = String.raw`
# ---- O(3) pieces: activations, spherical harmonics, radial bases, tensor products, radial MLP, theta ----

def _silu(x):
    return x * torch.sigmoid(x)


ACTIVATIONS = {
    "silu": _silu,
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "identity": lambda x: x,
}


def _safe_norm(vec):
    """|v| per row and a mask of non-zero rows; the square root never sees 0 (finite gradients at v = 0)."""
    r2 = (vec * vec).sum(dim=1)
    nonzero = r2 > 0
    r = torch.sqrt(torch.where(nonzero, r2, torch.ones_like(r2)))
    return torch.where(nonzero, r, torch.zeros_like(r)), nonzero


def spherical_harmonics(attr, vec, tables):
    """e3nn's real spherical harmonics up to lmax (polar axis y), by the recurrence on the Clebsch-Gordan tables."""
    n = vec.shape[0]
    if attr["normalize"]:
        r, nonzero = _safe_norm(vec)
        safe = torch.where(nonzero, r, torch.ones_like(r))
        u = torch.where(nonzero[:, None], vec / safe[:, None], torch.zeros_like(vec))
    else:
        u = vec
    ys = [torch.ones(n, 1, dtype=vec.dtype, device=vec.device)]
    for l in range(attr["lmax"]):
        f = (2 * l + 3) / math.sqrt(l + 1)
        ys.append(f * torch.einsum("ei,ej,ijk->ek", ys[-1], u, tables[l]))
    norm = attr["normalization"]
    out = []
    for l, y in enumerate(ys):
        s = 1.0 if norm == "component" else (1.0 / math.sqrt(2 * l + 1) if norm == "norm" else 1.0 / math.sqrt(4 * math.pi))
        out.append(y * s)
    return torch.cat(out, dim=1)


def _soft_unit_step(x):
    pos = x > 0
    return torch.where(pos, torch.exp(-1.0 / torch.where(pos, x, torch.ones_like(x))), torch.zeros_like(x))


def radial_basis(attr, r, smooth_finite_constant):
    """e3nn's soft_one_hot_linspace(r, start, cutoff, count, basis, cutoff=True), times scale; r per edge."""
    n, start, end, scale = attr["count"], attr["start"], attr["cutoff"], attr["scale"]
    step = (end - start) / (n + 1)
    i = torch.arange(n, dtype=r.dtype, device=r.device)
    center = start + (i + 1) * step
    rr = r[:, None]
    diff = (rr - center) / step
    basis = attr["basis"]
    zero = torch.zeros_like(diff)
    if basis == "gaussian":
        v = torch.exp(-diff * diff) / 1.12
    elif basis == "cosine":
        v = torch.where((diff < 1) & (diff > -1), torch.cos((math.pi / 2) * diff), zero)
    elif basis == "smooth_finite":
        v = smooth_finite_constant * _soft_unit_step(diff + 1) * _soft_unit_step(1 - diff)
    elif basis == "fourier":
        x = (rr - start) / (end - start) + zero
        k = math.pi * (i + 1)
        v = torch.where((x > 0) & (x < 1), torch.sin(k * x) / math.sqrt(0.25 + n / 2), zero)
    elif basis == "bessel":
        c = end - start
        x = rr - start + zero
        k = (i + 1) * math.pi / c
        inside = (x / c < 1) & (x > 0)
        v = torch.where(inside, math.sqrt(2 / c) * torch.sin(k * x) / torch.where(inside, x, torch.ones_like(x)), zero)
    else:
        raise ValueError("unknown radial basis " + repr(basis))
    return scale * v


def tensor_product(tp, cg, x1, x2, weight):
    """e3nn's TensorProduct: every path's Clebsch-Gordan coupling, times its weights and path weight.
    weight: (weight_numel,) when shared, else (rows, weight_numel)."""
    rows = x1.shape[0]
    out = x1.new_zeros(rows, tp["dimOut"])
    shared = tp["shared"]
    for p in tp["paths"]:
        m1, d1, m2, d2, mo, do = p["mul1"], p["d1"], p["mul2"], p["d2"], p["mulOut"], p["dOut"]
        a = x1[:, p["off1"]:p["off1"] + m1 * d1].reshape(rows, m1, d1)
        b = x2[:, p["off2"]:p["off2"] + m2 * d2].reshape(rows, m2, d2)
        c = cg[p["cg"]]
        mode = p["mode"]
        w = None
        if p["hasWeight"]:
            size = 1
            for s in p["pathShape"]:
                size *= s
            off = p["weightOffset"]
            w = weight[off:off + size].reshape(p["pathShape"]) if shared else weight[:, off:off + size].reshape([rows] + list(p["pathShape"]))
        if mode in ("uuw", "uuu"):
            t = torch.einsum("zui,zuj,ijk->zuk", a, b, c)
            if mode == "uuw":
                r = torch.einsum("zuk,uw->zwk", t, w) if shared else torch.einsum("zuk,zuw->zwk", t, w)
            elif w is None:
                r = t
            else:
                r = t * (w[None, :, None] if shared else w[:, :, None])
        else:
            t = torch.einsum("zui,zvj,ijk->zuvk", a, b, c)
            if mode == "uvw":
                r = torch.einsum("zuvk,uvw->zwk", t, w) if shared else torch.einsum("zuvk,zuvw->zwk", t, w)
            elif mode == "uvu":
                r = t.sum(2) if w is None else (torch.einsum("zuvk,uv->zuk", t, w) if shared else torch.einsum("zuvk,zuv->zuk", t, w))
            else:
                r = t.sum(1) if w is None else (torch.einsum("zuvk,uv->zvk", t, w) if shared else torch.einsum("zuvk,zuv->zvk", t, w))
        out[:, p["offOut"]:p["offOut"] + mo * do] += p["pathWeight"] * r.reshape(rows, mo * do)
    return out


def radial_mlp(mlp, params, emb):
    """e3nn's FullyConnectedNet without biases: h <- act_scale * act(h @ W / sqrt(fan_in)), none after the last."""
    h = emb
    act = ACTIVATIONS[mlp["act"]]
    last = len(mlp["weights"]) - 1
    for k, p in enumerate(mlp["weights"]):
        fan_in, fan_out = mlp["sizes"][k], mlp["sizes"][k + 1]
        w = params[p["offset"]:p["offset"] + p["size"]].reshape(fan_in, fan_out)
        z = (h / math.sqrt(fan_in)) @ w
        h = mlp["actScale"] * act(z) if k < last else z
    return h


def theta_from_coefficients(layout, params, bases):
    """theta = B c, block by block (bases: each block's orthonormal rank x (2l+1) rows)."""
    c_all = params[layout["param"]["offset"]:layout["param"]["offset"] + layout["param"]["size"]]
    parts = []
    for b, basis in zip(layout["blocks"], bases):
        if b["rank"] == 0:
            parts.append(c_all.new_zeros(b["mul"] * b["d"]))
            continue
        c = c_all[b["coefOffset"]:b["coefOffset"] + b["mul"] * b["rank"]].reshape(b["mul"], b["rank"])
        parts.append((c @ basis).reshape(-1))
    return torch.cat(parts) if parts else c_all.new_zeros(0)
`;
