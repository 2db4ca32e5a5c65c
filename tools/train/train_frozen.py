"""Train traycheck-det on the COCO-pretrained YOLOX-nano backbone, kept frozen (arch "yolox-nano").

OMP_NUM_THREADS=2 /usr/bin/python3 tools/train/train_frozen.py --data PACK [--data PACK2] --name v3 \\
    [--weights ../shared/interop/yolox-nano/yolox_nano.onnx | --init CKPT] [--epochs 30] [--budget-min 60]

Why frozen and cached: PyTorch's CPU depthwise convolutions make a full training step of this
backbone ~16x slower than of the plain one (5 s against 0.3 s per batch of 16 on this 2-core box),
and the point of the pretrained backbone is its real-world features, which fine-tuning on our
renders would wash out. So the CSPDarknet half runs once per image (and once on its 180-degree
turn), its C3/C4/C5 maps are cached as float16 under the run folder, and training updates only
the top-down PAFPN half (pretrained init) and traycheck's stride-8 head (new). Photometric
augmentation is given up for this; the renders already vary light, colour and noise.

Writes <run>/{last.pt,best.pt,log.jsonl,cache/}; rerun the same command to resume (the cache too).
Checkpoints carry "arch": "yolox-nano"; export.py and train.py read it.
"""
import argparse
import copy
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grow import grow_state, hold_known_rows, param_groups  # noqa: E402
from metrics import evaluate, nms_detections  # noqa: E402
from model import STRIDE, TrayDet, decode  # noqa: E402
from targets import build_targets  # noqa: E402
from train import CLASSES, detection_loss, ema_update, epoch_record, load_split, lr_at  # noqa: E402
from yolox_backbone import DEFAULT_WEIGHTS, load_yolox_onnx  # noqa: E402

FROZEN = ("stem", "dark2", "dark3", "dark4", "dark5")


def turn(img):
    """The 180-degree turn of an HWC image (an overhead camera sees trays either way round)."""
    return np.ascontiguousarray(img[::-1, ::-1])


def turn_boxes(b, w, h):
    t = b.copy()
    t[:, [1, 3]] = w - b[:, [3, 1]]
    t[:, [2, 4]] = h - b[:, [4, 2]]
    return t


class FeatureCache:
    """C3/C4/C5 of every image of one split and variant, float16, one row per image; filled in
    chunks with a progress file so that a killed run resumes where it stopped."""

    def __init__(self, folder, key, count, shapes):
        self.shapes = shapes
        self.sizes = [int(np.prod(s)) for s in shapes]
        self.row = sum(self.sizes)
        self.path = os.path.join(folder, f"{key}.f16")
        self.done_path = self.path + ".done"
        mode = "r+" if os.path.exists(self.path) else "w+"
        self.data = np.memmap(self.path, np.float16, mode, shape=(count, self.row))
        self.done = int(open(self.done_path).read()) if os.path.exists(self.done_path) else 0

    def fill(self, neck, images, variant, batch=32, label=""):
        t0 = time.time()
        n = len(self.data)
        with torch.no_grad():
            for i in range(self.done, n, batch):
                chunk = images[i : i + batch]
                if variant == 1:
                    chunk = np.stack([turn(im) for im in chunk])
                x = torch.from_numpy(np.ascontiguousarray(chunk)).permute(0, 3, 1, 2).float().div_(255)
                feats = neck.features(x)
                self.data[i : i + len(chunk)] = torch.cat([f.flatten(1) for f in feats], 1).half().numpy()
                self.done = i + len(chunk)
                if (i // batch) % 20 == 0 or self.done == n:
                    self.data.flush()
                    open(self.done_path, "w").write(str(self.done))
                    print(f"cache {label}: {self.done}/{n} ({time.time() - t0:.0f} s)", flush=True)

    def get(self, idx):
        rows = torch.from_numpy(np.asarray(self.data[idx], np.float32))
        out, o = [], 0
        for size, shape in zip(self.sizes, self.shapes):
            out.append(rows[:, o : o + size].view(len(idx), *shape))
            o += size
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", action="append", required=True, help="a packed dataset (pack.mjs); repeat to mix")
    ap.add_argument("--name", default="v3")
    ap.add_argument("--run-dir", default=None)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--val-max", type=int, default=400)
    ap.add_argument("--weights", default=None, help="YOLOX-nano ONNX file (default: the shared interop copy)")
    ap.add_argument("--init", default=None, help="a yolox-nano traycheck checkpoint to fine-tune")
    ap.add_argument("--new-class-lr", type=float, default=1.0, help="as train.py: with --init and classes the checkpoint lacks, LR multiplier of the new classes' cls/box rows, the known rows held")
    ap.add_argument("--budget-min", type=float, default=0)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N images of each split (smoke tests)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    here = os.path.dirname(os.path.abspath(__file__))
    run = args.run_dir or os.path.join(here, "runs", args.name)
    os.makedirs(os.path.join(run, "cache"), exist_ok=True)
    log = open(os.path.join(run, "log.jsonl"), "a")

    splits = {"train": [], "val": []}
    names = None
    for d in args.data:
        for split in splits:
            x, b, (h, w) = load_split(d, split)
            if args.limit:
                x, b = x[: args.limit], b[: args.limit]
            splits[split].append((d, x, b))
        n_ = json.load(open(os.path.join(d, "train.json"))).get("names")
        if names is not None and n_ != names:
            raise SystemExit(f"{d}: class list {n_} differs from {names}")
        names = n_
    nc = len(names)

    model = TrayDet(nc, arch="yolox-nano")
    provenance = {}
    new = []
    coco = None  # the second opinion's weights (yolox_coco.py), carried through unchanged
    if args.init:
        src = torch.load(args.init, map_location="cpu")
        if src.get("arch") != "yolox-nano":
            raise SystemExit(f"{args.init}: not a yolox-nano checkpoint (arch {src.get('arch', 'plain')})")
        # Every tensor reused; the class heads grow for classes the store added (grow.py).
        state, what = grow_state(src["ema"], src.get("names") or CLASSES, names, model.state_dict())
        model.load_state_dict(state)
        new = [n for n in names if n not in (src.get("names") or CLASSES)]
        print(f"init from {args.init}: {what}", flush=True)
        provenance = src.get("provenance", {})
        coco = src.get("coco")
        provenance["fine_tuned_from"] = {"file": os.path.basename(args.init), "sha256": hashlib.sha256(open(args.init, "rb").read()).hexdigest()}
    else:
        path = args.weights or os.path.normpath(os.path.join(here, "..", "..", DEFAULT_WEIGHTS))
        if not os.path.exists(path):
            raise SystemExit(f"YOLOX-nano weights not found at {path} (--weights FILE)")
        n_convs, sha = load_yolox_onnx(model.neck, path)
        provenance = {"backbone": "YOLOX-nano (COCO, Apache-2.0)", "file": os.path.basename(path), "sha256": sha, "convs": n_convs}
        print(f"loaded {n_convs} convs from {path} (sha256 {sha[:12]}…)", flush=True)
    model.eval()
    with torch.no_grad():
        shapes = [tuple(f.shape[1:]) for f in model.neck.features(torch.zeros(1, 3, h, w))]

    # Caches: train images in both variants, val in the original only.
    caches = {"train": [], "val": []}
    for split, items in splits.items():
        for d, x, b in items:
            key = f"{os.path.basename(os.path.normpath(d))}-{split}"
            variants = (0, 1) if split == "train" else (0,)
            cs = []
            for v in variants:
                c = FeatureCache(os.path.join(run, "cache"), f"{key}-v{v}", len(x), shapes)
                c.fill(model.neck, x, v, label=f"{key} v{v}")
                cs.append(c)
            caches[split].append((cs, b))

    # Flat index of (dataset, image) for training; val capped.
    train_index = [(k, i) for k, (_, b) in enumerate(caches["train"]) for i in range(len(b))]
    val_index = [(k, i) for k, (_, b) in enumerate(caches["val"]) for i in range(len(b))][: args.val_max]

    for name_, p in model.neck.named_parameters():
        p.requires_grad = not name_.startswith(FROZEN)
    trainable = [p for p in model.parameters() if p.requires_grad]
    ema = copy.deepcopy(model).eval()
    if new and args.new_class_lr != 1:
        hold_known_rows(model, names, new)
    groups = [{**g, "params": [p for p in g["params"] if p.requires_grad]} for g in param_groups(model, args.new_class_lr if new else 1.0)]
    opt = torch.optim.AdamW([g for g in groups if g["params"]], lr=args.lr)
    iters_per_epoch = len(train_index) // args.batch
    total = iters_per_epoch * args.epochs
    warm = min(300, total // 10)
    step, epoch, start_it, best, train_s = 0, 0, 0, -1.0, 0.0
    last = os.path.join(run, "last.pt")
    if os.path.exists(last):
        ck = torch.load(last, map_location="cpu")
        model.load_state_dict(ck["model"])
        ema.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        step, epoch, start_it, best = ck["step"], ck["epoch"], ck["iter"], ck["best"]
        train_s = ck.get("train_s", 0.0)
        torch.set_rng_state(ck["torch_rng"])
        print(f"resumed from epoch {epoch} iter {start_it} (step {step})", flush=True)
    gh, gw = h // STRIDE, w // STRIDE
    print(f"train {len(train_index)} x2 val {len(val_index)} input {w}x{h} trainable {sum(p.numel() for p in trainable)} of {sum(p.numel() for p in model.parameters())} iters/epoch {iters_per_epoch}", flush=True)

    def batch_of(split, pairs, variant_of=None):
        feats, boxes = [[], [], []], []
        for k, i in pairs:
            cs, b = caches[split][k]
            v = variant_of(k, i) if variant_of else 0
            for j, f in enumerate(cs[v].get([i])):
                feats[j].append(f)
            boxes.append(turn_boxes(b[i], w, h) if v == 1 else b[i])
        return [torch.cat(f) for f in feats], boxes

    def forward(m, feats):
        return m.head_forward(m.neck.top_down(*feats))

    @torch.no_grad()
    def validate(m):
        dets, gts = [], []
        for s in range(0, len(val_index), 32):
            feats, boxes = batch_of("val", val_index[s : s + 32])
            out = decode(*forward(m, feats)).numpy()
            dets += [nms_detections(o) for o in out]
            gts += boxes
        res = evaluate(dets, gts, nc)
        return float(np.mean([r["ap"] for r in res.values() if r["n"]])), res

    def save(path, epoch_, iter_):
        torch.save({"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "step": step, "epoch": epoch_, "iter": iter_, "best": best, "train_s": train_s, "torch_rng": torch.get_rng_state(), "imgsz": [h, w], "names": names, "arch": "yolox-nano", "provenance": provenance, "args": vars(args), **({"coco": coco} if coco else {})}, path + ".tmp")
        os.replace(path + ".tmp", path)

    budget_s = args.budget_min * 60
    budget_t0 = time.time()
    out_of_time = False

    def progress():
        p = (step - warm) / max(1, total - warm)
        if budget_s:
            p = max(p, (time.time() - budget_t0) / budget_s)
        return min(1.0, p)

    model.train()
    for name_, mod in model.neck.named_children():
        if name_ in FROZEN:
            mod.eval()
    while epoch < args.epochs and not out_of_time:
        rng = np.random.default_rng(args.seed * 1000 + epoch)
        perm = rng.permutation(len(train_index))
        t0 = time.time()
        sums = np.zeros(3)
        nb = 0
        for it in range(start_it, iters_per_epoch):
            pairs = [train_index[j] for j in sorted(perm[it * args.batch : (it + 1) * args.batch])]
            vrng = np.random.default_rng([args.seed, epoch, it])
            flips = {p: int(vrng.integers(2)) for p in pairs}
            feats, bxs = batch_of("train", pairs, lambda k, i: flips[(k, i)])
            heat, tbox, wt = build_targets(bxs, nc, gh, gw)
            lr = lr_at(args.lr, step, warm, progress())
            for g in opt.param_groups:
                g["lr"] = lr * g["lr_mult"]
            logits, dist = forward(model, feats)
            loss, l_cls, l_box = detection_loss(logits, dist, heat, tbox, wt)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 10.0)
            opt.step()
            step += 1
            ema_update(ema, model, step)
            sums += [loss.item(), l_cls.item(), l_box.item()]
            nb += 1
            if it % 25 == 0:
                el = time.time() - t0
                print(f"ep {epoch} it {it}/{iters_per_epoch} loss {sums[0] / nb:.3f} cls {sums[1] / nb:.3f} box {sums[2] / nb:.3f} lr {lr:.5f} {el / nb:.2f}s/it", flush=True)
            if it % 100 == 99:
                save(last, epoch, it + 1)
            if budget_s and time.time() - budget_t0 >= budget_s:
                out_of_time = True
                print(f"time budget reached at epoch {epoch} iter {it + 1}", flush=True)
                start_it = it + 1
                break
        train_s += time.time() - t0
        m, res = validate(ema)
        rec = epoch_record(epoch, sums, nb, m, res, names, t0)
        print(json.dumps(rec), flush=True)
        log.write(json.dumps(rec) + "\n")
        log.flush()
        if not out_of_time:
            epoch += 1
            start_it = 0
        if m > best:
            best = m
            save(os.path.join(run, "best.pt"), epoch, start_it)
        save(last, epoch, start_it)
    print("done", flush=True)


if __name__ == "__main__":
    main()
