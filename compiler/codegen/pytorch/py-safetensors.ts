/** Python source of the generated PyTorch module: reading and writing safetensors with the standard library and torch (F32 and F64), atomically. */
export const PY_SAFETENSORS = String.raw`
# ---- safetensors (8-byte little-endian header length, JSON header, raw little-endian data) ----

_ST_DTYPES = {"F32": (torch.float32, 4), "F64": (torch.float64, 8)}


def read_safetensors(path):
    """(tensors by name, metadata) of a safetensors file with F32 / F64 tensors."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s: too short to be safetensors (%d bytes)" % (path, len(data)))
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError("%s: header length %d exceeds the file (%d bytes)" % (path, n, len(data)))
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ValueError("%s: the header is not valid JSON (%s)" % (path, e))
    if not isinstance(header, dict):
        raise ValueError("%s: the header is not a JSON object" % path)
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(info, dict) or info.get("dtype") not in _ST_DTYPES:
            raise ValueError("%s: tensor %r: only F32 and F64 tensors are supported" % (path, name))
        dtype, size = _ST_DTYPES[info["dtype"]]
        shape = info.get("shape")
        offsets = info.get("data_offsets")
        if not isinstance(shape, list) or not isinstance(offsets, list) or len(offsets) != 2:
            raise ValueError("%s: tensor %r: malformed header entry" % (path, name))
        count = 1
        for s in shape:
            count *= int(s)
        a, b = int(offsets[0]), int(offsets[1])
        if a < 0 or b != a + count * size or base + b > len(data):
            raise ValueError("%s: tensor %r: data offsets [%d, %d] do not fit shape %s" % (path, name, a, b, shape))
        if count == 0:
            t = torch.zeros(0, dtype=dtype)
        elif sys.byteorder == "little":
            t = torch.frombuffer(bytearray(data[base + a:base + b]), dtype=dtype)
        else:
            t = torch.tensor(struct.unpack("<%d%s" % (count, "f" if size == 4 else "d"), data[base + a:base + b]), dtype=dtype)
        tensors[name] = t.reshape([int(s) for s in shape]).clone()
    meta = header.get("__metadata__") or {}
    return tensors, {str(k): str(v) for k, v in meta.items()}


def write_safetensors(path, tensors, metadata=None, dtype="F32"):
    """Writes beside 'path' and renames in, so the file is always whole."""
    tdtype, size = _ST_DTYPES[dtype]
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu", tdtype).contiguous()
        raw = struct.pack("<%d%s" % (t.numel(), "f" if dtype == "F32" else "d"), *t.reshape(-1).tolist())
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - (8 + len(text.encode("utf-8"))) % 8) % 8)
    head = text.encode("utf-8")
    atomic_write(path, struct.pack("<Q", len(head)) + head + b"".join(blobs))


def atomic_write(path, content):
    tmp = path + ".tmp"
    with open(tmp, "wb" if isinstance(content, bytes) else "w") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
`;
