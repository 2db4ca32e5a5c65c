"""Train traycheck-det on a packed dataset (see pack.mjs). Seeded and resumable.

OMP_NUM_THREADS=2 /usr/bin/python3 tools/train/train.py --data PACKDIR --name v1 --epochs 12
Writes tools/train/runs/<name>/{last.pt,best.pt,log.jsonl}; rerun the same command to resume.
"""
import argparse
import copy
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics import evaluate, nms_detections  # noqa: E402
from grow import hold_known_rows, load_init, param_groups  # noqa: E402
from model import STRIDE, TrayDet, decode  # noqa: E402
from targets import build_targets, focal_heatmap_loss, giou_loss  # noqa: E402

# Default label list (the synthetic set); a packed dataset with classes.txt overrides it.
CLASSES = ["tray", "burger", "fries", "drink", "nuggets", "wrap", "salad", "dessert", "sauce", "hand"]


def load_split(data, split):
    meta = json.load(open(os.path.join(data, f"{split}.json")))
    h, w = meta["imgsz"]
    x = np.fromfile(os.path.join(data, f"{split}.u8"), np.uint8).reshape(meta["count"], h, w, 3)
    boxes = [np.array(b, np.float32).reshape(-1, 5) for b in meta["boxes"]]
    return x, boxes, (h, w)


def lr_at(base, step, warm, progress):
    """Linear warm-up, then cosine from `base` to 5 % of it as `progress` goes 0..1."""
    return base * (step / warm if step < warm else 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def detection_loss(logits, dist, heat, tbox, wt):
    """(total, heatmap part, box part): focal heatmap loss + 2 x GIoU."""
    l_cls = focal_heatmap_loss(logits, heat)
    l_box = giou_loss(dist, tbox, wt)
    return l_cls + 2.0 * l_box, l_cls, l_box


@torch.no_grad()
def ema_update(ema, model, step):
    """EMA of the weights (decay ramping up to 0.998); buffers that are not floats are copied."""
    d = min(0.998, (1 + step) / (10 + step))
    for pe, pm in zip(ema.state_dict().values(), model.state_dict().values()):
        if pe.dtype.is_floating_point:
            pe.mul_(d).add_(pm.detach(), alpha=1 - d)
        else:
            pe.copy_(pm)


def epoch_record(epoch, sums, nb, val_map50, res, names, t0):
    """The per-epoch line of log.jsonl (and of the progress output)."""
    n = max(nb, 1)
    return {"epoch": epoch, "loss": sums[0] / n, "cls": sums[1] / n, "box": sums[2] / n, "val_map50": val_map50, "per_class": {names[c]: round(r["ap"], 4) for c, r in res.items()}, "epoch_s": round(time.time() - t0), "time": time.strftime("%Y-%m-%dT%H:%M:%S")}


def augment(imgs, boxes, rng, w, h):
    out_boxes = []
    for k in range(len(imgs)):
        b = boxes[k].copy()
        if rng.random() < 0.5:
            imgs[k] = imgs[k][:, ::-1]
            b[:, [1, 3]] = w - b[:, [3, 1]]
        if rng.random() < 0.5:
            imgs[k] = imgs[k][::-1]
            b[:, [2, 4]] = h - b[:, [4, 2]]
        out_boxes.append(b)
    t = torch.from_numpy(np.ascontiguousarray(imgs)).permute(0, 3, 1, 2).float().div_(255)
    n = len(imgs)
    gain = torch.from_numpy(rng.uniform(0.75, 1.25, (n, 1, 1, 1)).astype(np.float32))
    tint = torch.from_numpy(rng.uniform(0.9, 1.1, (n, 3, 1, 1)).astype(np.float32))
    t = (t * gain * tint).clamp_(0, 1)
    return t, out_boxes


@torch.no_grad()
def validate(model, x, boxes, nc, batch=32):
    model.eval()
    dets = []
    for i in range(0, len(x), batch):
        t = torch.from_numpy(x[i : i + batch]).permute(0, 3, 1, 2).float().div_(255)
        out = decode(*model(t)).numpy()
        dets += [nms_detections(o) for o in out]
    model.train()
    res = evaluate(dets, boxes, nc)
    aps = [r["ap"] for r in res.values() if r["n"]]
    return float(np.mean(aps)), res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--name", default="v1")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--val-max", type=int, default=400)
    ap.add_argument("--init", default=None, help="start from these weights (fine-tuning)")
    ap.add_argument("--new-class-lr", type=float, default=1.0, help="with --init and classes the checkpoint lacks: LR multiplier of the new classes' rows in the cls/box layers, whose known classes' rows are then held")
    ap.add_argument("--budget-min", type=float, default=0, help="wall-clock training budget from now (minutes); the LR schedule follows whichever of steps or time runs out first")
    args = ap.parse_args()
    if args.init and torch.load(args.init, map_location="cpu").get("arch", "plain") != "plain":
        # A checkpoint on the pretrained YOLOX-nano backbone trains with that backbone frozen
        # and its features cached (train_frozen.py says why); same arguments.
        import train_frozen

        return train_frozen.main()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    run = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runs", args.name)
    os.makedirs(run, exist_ok=True)
    log = open(os.path.join(run, "log.jsonl"), "a")

    xtr, btr, (h, w) = load_split(args.data, "train")
    xva, bva, _ = load_split(args.data, "val")
    xva, bva = xva[: args.val_max], bva[: args.val_max]
    names = json.load(open(os.path.join(args.data, "train.json"))).get("names") or CLASSES
    nc = len(names)
    model = TrayDet(nc)
    # Fine-tuning: every tensor is reused; the class heads grow for classes the store added.
    new = load_init(model, args.init, names, CLASSES) if args.init else []
    ema = copy.deepcopy(model).eval()
    if new and args.new_class_lr != 1:
        hold_known_rows(model, names, new)
    opt = torch.optim.AdamW(param_groups(model, args.new_class_lr if new else 1.0), lr=args.lr)
    iters_per_epoch = len(xtr) // args.batch
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
    params = sum(p.numel() for p in model.parameters())
    print(f"train {len(xtr)} val {len(xva)} input {w}x{h} params {params} iters/epoch {iters_per_epoch}", flush=True)

    def save(path, epoch_, iter_):
        torch.save({"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "step": step, "epoch": epoch_, "iter": iter_, "best": best, "train_s": train_s, "torch_rng": torch.get_rng_state(), "imgsz": [h, w], "names": names, "args": vars(args)}, path + ".tmp")
        os.replace(path + ".tmp", path)

    # A time budget (shared, loaded machines) counts from this start, resumed runs included.
    budget_s = args.budget_min * 60
    budget_t0 = time.time()
    out_of_time = False

    def progress():
        p = (step - warm) / max(1, total - warm)
        if budget_s:
            p = max(p, (time.time() - budget_t0) / budget_s)
        return min(1.0, p)

    while epoch < args.epochs and not out_of_time:
        rng = np.random.default_rng(args.seed * 1000 + epoch)
        perm = rng.permutation(len(xtr))
        t0 = time.time()
        sums = np.zeros(3)
        nb = 0
        for it in range(start_it, iters_per_epoch):
            idx = np.sort(perm[it * args.batch : (it + 1) * args.batch])
            arng = np.random.default_rng([args.seed, epoch, it])
            imgs, bxs = augment(xtr[idx].copy(), [btr[i] for i in idx], arng, w, h)
            heat, tbox, wt = build_targets(bxs, nc, gh, gw)
            lr = lr_at(args.lr, step, warm, progress())
            for g in opt.param_groups:
                g["lr"] = lr * g["lr_mult"]
            logits, dist = model(imgs)
            loss, l_cls, l_box = detection_loss(logits, dist, heat, tbox, wt)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
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
        m, res = validate(ema, xva, bva, nc)
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
