/** Python source of the generated PyTorch module: the training program: the spec's optimiser, schedule, batch and regularisers; DistributedDataParallel under torchrun; atomic checkpoints and resume. */
export const PY_TRAIN = String.raw`
# ---- training: the spec's loss, optimiser, schedule, batch size and regularisers, on one process or DDP ----

def scheduled_lr(opt, schedule, epoch, epochs):
    lr = opt["lr"]
    if schedule["kind"] == "step":
        return lr * schedule["gamma"] ** (epoch // schedule["every"])
    if schedule["kind"] == "cosine":
        return schedule["minLr"] + 0.5 * (lr - schedule["minLr"]) * (1 + math.cos(math.pi * epoch / max(1, epochs)))
    return lr


def make_optimizer(train, params):
    """PyTorch's SGD (dampening 0, no Nesterov) or Adam: the update rules regnn's kernels implement."""
    opt = train["optimizer"]
    if opt["kind"] == "sgd":
        return torch.optim.SGD([params], lr=opt["lr"], momentum=opt["momentum"])
    return torch.optim.Adam([params], lr=opt["lr"], betas=(opt["beta1"], opt["beta2"]), eps=opt["eps"])


def optimizer_state(optimizer, train):
    """The optimiser's state under regnn's checkpoint names (SGD: momentum; Adam: adam_m, adam_v) and its step count."""
    st = optimizer.state.get(optimizer.param_groups[0]["params"][0], {})
    p = optimizer.param_groups[0]["params"][0]
    if train["optimizer"]["kind"] == "sgd":
        if train["optimizer"]["momentum"] == 0:
            return {}, None
        buf = st.get("momentum_buffer")
        return {"momentum": (buf if buf is not None else torch.zeros_like(p)).detach()}, None
    steps = int(st["step"]) if "step" in st else 0
    return {"adam_m": st.get("exp_avg", torch.zeros_like(p)).detach(), "adam_v": st.get("exp_avg_sq", torch.zeros_like(p)).detach()}, steps


def set_optimizer_state(optimizer, train, buffers, steps):
    p = optimizer.param_groups[0]["params"][0]
    if train["optimizer"]["kind"] == "sgd":
        if train["optimizer"]["momentum"] != 0 and steps > 0:
            optimizer.state[p] = {"momentum_buffer": buffers["momentum"].to(p.dtype).reshape(p.shape).clone()}
        return
    if steps > 0:
        optimizer.state[p] = {
            "step": torch.tensor(float(steps)),
            "exp_avg": buffers["adam_m"].to(p.dtype).reshape(p.shape).clone(),
            "exp_avg_sq": buffers["adam_v"].to(p.dtype).reshape(p.shape).clone(),
        }


def write_checkpoint(model, optimizer, path, meta_path, epoch, epochs, steps, seed, loss):
    d = model.DATA
    buffers, _ = optimizer_state(optimizer, d["train"])
    tensors = {name: t.detach() for name, t in model.named_weights().items()}
    for name, t in buffers.items():
        tensors["optimizer." + name] = t
    meta = {"format": "regnn-checkpoint-1", "model": d["model"], "spec_sha256": d["specSha256"], "epoch": str(epoch), "epochs": str(epochs), "steps": str(steps), "seed": str(seed)}
    write_safetensors(path, tensors, meta, "F64")
    info = {"format": "regnn-checkpoint-1", "model": d["model"], "spec_sha256": d["specSha256"], "epoch": epoch, "epochs": epochs, "steps": steps, "seed": seed,
            "rng": "each epoch's batch order is a shuffle seeded by (seed, epoch)", "checkpoint": os.path.basename(path), "loss": loss}
    atomic_write(meta_path, json.dumps(info, indent=2) + "\n")


def read_checkpoint(model, path):
    if not os.path.exists(path):
        raise ValueError(path + ": no checkpoint to resume from (train without --resume first)")
    tensors, meta = read_safetensors(path)
    if meta.get("format") != "regnn-checkpoint-1":
        raise ValueError("%s: not a regnn checkpoint (format '%s')" % (path, meta.get("format", "missing")))
    if meta.get("spec_sha256") != model.DATA["specSha256"]:
        raise ValueError(path + ": the checkpoint was written for a different version of the spec (its hash differs); train from the start, or into another --out")
    whole = {}
    for key in ("epoch", "epochs", "steps", "seed"):
        try:
            whole[key] = int(meta.get(key, ""))
        except ValueError:
            raise ValueError("%s: metadata '%s' is not a whole number" % (path, key))
    model.load_named(tensors, path)
    buffers = {k[len("optimizer."):]: v.reshape(-1) for k, v in tensors.items() if k.startswith("optimizer.")}
    return whole, buffers


def _shard(graphs, rank, world):
    """This rank's share of a global batch: graphs rank, rank + world, ..."""
    return graphs[rank::world]


def train_main(model_class, args):
    distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
    use_cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
    rank, world = 0, 1
    if distributed:
        torch.distributed.init_process_group("nccl" if use_cuda else "gloo")
        rank, world = torch.distributed.get_rank(), torch.distributed.get_world_size()
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0"))) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    log = (lambda line: print(line, flush=True)) if rank == 0 and not args.quiet else (lambda line: None)
    try:
        return _train(model_class, args, rank, world, device, distributed, log)
    finally:
        if distributed:
            torch.distributed.destroy_process_group()


def _train(model_class, args, rank, world, device, distributed, log):
    d = model_class.DATA
    train = d["train"]
    if train["loss"] is None:
        raise ValueError(d["model"] + " declares no loss: add train { loss: sse(output, target) }")
    graphs = read_dataset(d, args.data)
    if not graphs:
        raise DatasetError(os.path.basename(args.data) + ": no graphs to train on")
    cache_edges(d, graphs)
    os.makedirs(args.out, exist_ok=True)
    paths = {
        "weights": os.path.join(args.out, model_class.__name__ + ".safetensors"),
        "checkpoint": os.path.join(args.out, "checkpoint.safetensors"),
        "meta": os.path.join(args.out, "checkpoint.json"),
        "csv": os.path.join(args.out, "loss.csv"),
    }
    model = model_class(seed=args.seed if args.seed is not None else train["seed"]).to(device)
    optimizer = make_optimizer(train, model.params)
    start, steps = 0, 0
    seed = args.seed if args.seed is not None else train["seed"]
    epochs = args.epochs if args.epochs is not None else train["epochs"]
    rows = []
    if args.resume:
        whole, buffers = read_checkpoint(model, paths["checkpoint"])
        if args.seed is not None and args.seed != whole["seed"]:
            raise ValueError("--seed %d differs from the checkpoint's seed %d; a resumed run keeps its seed" % (args.seed, whole["seed"]))
        seed, start, steps = whole["seed"], whole["epoch"], whole["steps"]
        epochs = args.epochs if args.epochs is not None else whole["epochs"]
        set_optimizer_state(optimizer, train, {k: v.to(device) for k, v in buffers.items()}, steps)
        if os.path.exists(paths["csv"]):
            with open(paths["csv"]) as f:
                for line in f.read().strip().split("\n")[1:]:
                    parts = line.split(",")
                    if len(parts) == 3 and parts[0].isdigit() and 1 <= int(parts[0]) <= start:
                        rows.append((int(parts[0]), float(parts[1]), float(parts[2])))
    net = torch.nn.parallel.DistributedDataParallel(model, broadcast_buffers=False) if distributed else model
    every = args.checkpoint_every if args.checkpoint_every is not None else train["checkpointEvery"]
    batch_size = train["batch"]
    loss_spec = train["loss"]
    log("%s %s on %d graph%s, %d epochs, batch %d, %s, %d process%s" % ("resuming" if args.resume else "training", d["model"], len(graphs), "" if len(graphs) == 1 else "s", epochs, batch_size, device.type, world, "" if world == 1 else "es"))

    def checkpoint(epoch):
        if not bool(torch.isfinite(model.params).all()):
            raise FloatingPointError("training diverged at epoch %d: the parameters stopped being finite numbers; the last good checkpoint is kept" % epoch)
        if rank == 0:
            atomic_write(paths["csv"], "epoch,loss,regularization\n" + "".join("%d,%r,%r\n" % r for r in rows))
            write_checkpoint(model, optimizer, paths["checkpoint"], paths["meta"], epoch, epochs, steps, seed, rows[-1][1] if rows else None)
            model.save_weights(paths["weights"])
        if distributed:
            torch.distributed.barrier()

    for epoch in range(start, epochs):
        order = epoch_order(len(graphs), seed, epoch)
        lr = scheduled_lr(train["optimizer"], train["schedule"], epoch, epochs)
        for group in optimizer.param_groups:
            group["lr"] = lr
        epoch_loss, epoch_reg = 0.0, 0.0
        for b in range(0, len(order), batch_size):
            chosen = [graphs[i] for i in order[b:b + batch_size]]
            mine = _shard(chosen, rank, world)
            optimizer.zero_grad(set_to_none=False)
            reg = model.regularization("smooth")
            # Each rank's loss is its share of the global batch's loss; DDP averages gradients over ranks, so
            # the share is scaled by the world size (the regulariser, identical on every rank, is not).
            if mine:
                batch = batch_graphs(d, mine, model.params.dtype, device)
                outputs = net(batch)
                y = outputs[loss_spec["output"]]
                sq = ((y - batch["features"][loss_spec["target"]]) ** 2).sum()
            else:
                outputs = net(batch_graphs(d, chosen[:1], model.params.dtype, device))
                sq = 0.0 * sum(v.sum() for v in outputs.values())
            if loss_spec["kind"] == "mse":
                # The mean is over the global batch's entries: count them on every rank.
                entries = torch.tensor(float(y.numel()) if mine else 0.0, dtype=torch.float64, device=device)
                if distributed:
                    torch.distributed.all_reduce(entries)
                sq = sq / max(1.0, float(entries))
            objective = sq * world + reg + 0.0 * model.params.sum()
            objective.backward()
            total = sq.detach().clone() if torch.is_tensor(sq) else torch.tensor(float(sq))
            if distributed:
                torch.distributed.all_reduce(total)
            full_reg = float(model.regularization("all").detach())
            if not (math.isfinite(float(total)) and math.isfinite(full_reg)):
                raise FloatingPointError("training diverged at epoch %d: the loss is not finite (%r, regulariser %r); the last good checkpoint is kept" % (epoch + 1, float(total), full_reg))
            optimizer.step()
            model.proximal_group_lasso(lr)
            steps += 1
            epoch_loss += float(total)
            epoch_reg += full_reg
        rows.append((epoch + 1, epoch_loss, epoch_reg))
        if (epoch % max(1, epochs // 10)) == 0 or epoch + 1 == epochs:
            log("  epoch %d/%d  loss %.3e" % (epoch + 1, epochs, epoch_loss))
        stop = args.stop_after is not None and epoch + 1 == args.stop_after
        if (epoch + 1) % every == 0 or epoch + 1 == epochs or stop:
            checkpoint(epoch + 1)
        if stop:
            break
    log("wrote %s, %s, %s" % (paths["weights"], paths["checkpoint"], paths["csv"]))
    return rows[-1][1] if rows else float("nan")


def main(model_class, argv):
    parser = argparse.ArgumentParser(prog=os.path.basename(sys.argv[0]), description="The compiled regnn model " + model_class.__name__ + " (PyTorch).")
    sub = parser.add_subparsers(dest="command")
    t = sub.add_parser("train", help="train on a dataset (JSON or extended XYZ); under torchrun with DistributedDataParallel")
    t.add_argument("--data", required=True, help="the dataset (regnn-dataset-1 JSON, or .xyz / .extxyz)")
    t.add_argument("--out", default="out/train", help="directory for the weights, loss.csv and the checkpoint")
    t.add_argument("--epochs", type=int, help="epochs (default: the spec's)")
    t.add_argument("--seed", type=int, help="seed of the initialisation and the batch order (default: the spec's)")
    t.add_argument("--resume", action="store_true", help="continue from <out>/checkpoint.safetensors")
    t.add_argument("--checkpoint-every", type=int, help="epochs between checkpoints (default: the spec's)")
    t.add_argument("--stop-after", type=int, help="stop with a checkpoint after this many epochs; --resume continues")
    t.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="cuda when available (auto), or force one")
    t.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    if args.command != "train":
        parser.print_help()
        return 2
    for name in ("epochs", "checkpoint_every", "stop_after"):
        v = getattr(args, name)
        if v is not None and v < (1 if name != "epochs" else 0):
            parser.error("--%s must be a positive whole number" % name.replace("_", "-"))
    try:
        train_main(model_class, args)
    except (DatasetError, ValueError, FloatingPointError, OSError) as e:
        print("error: " + str(e), file=sys.stderr)
        return 1
    return 0
`;
