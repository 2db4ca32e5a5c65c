"""Export a checkpoint (EMA weights) to ONNX with the contract the detector expects.

/usr/bin/python3 tools/train/export.py --ckpt tools/train/runs/v1/best.pt --out models/traycheck-det.onnx

input  `images` float32 [1,3,H,W], RGB 0..1, letterboxed centred, pad 114
output `output` float32 [1,N,4+nc]: x1,y1,x2,y2 (input pixels), class scores 0..1; no NMS

With --coco FILE, or when the checkpoint carries the COCO head (yolox_coco.py embeds it), a
yolox-nano model gains a second output, YOLOX-nano's own COCO
detections from the same frozen backbone (yolox_coco.py):
output `coco` float32 [1,M,4+80]: x1,y1,x2,y2 (input pixels), objectness x class score; no NMS
and the metadata `second_opinion` says how the detector uses it (src/detect/second-opinion.ts).
"""
import argparse
import datetime
import json
import os
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import STRIDE, TrayDet, decode  # noqa: E402
from yolox_coco import COCO80, YoloxCoco, load_coco_head  # noqa: E402


class Exported(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, images):
        return decode(*self.model(images))


class ExportedWithCoco(torch.nn.Module):
    """traycheck's head and YOLOX's COCO head on one pass of the shared frozen backbone."""

    def __init__(self, model, coco):
        super().__init__()
        self.model = model
        self.coco = coco

    def forward(self, images):
        c3, c4, c5 = self.model.neck.features(images)
        ours = decode(*self.model.head_forward(self.model.neck.top_down(c3, c4, c5)))
        return ours, self.coco(c3, c4, c5)


def second_opinion_meta():
    """What the COCO classes mean to a tray: the menu label they stand for, food that is not on
    the menu, and what never vetoes an item (containers, cutlery, people, the table)."""
    return {
        "names": COCO80,
        "aliases": {"sandwich": "burger", "hot dog": "wrap", "cup": "drink", "cake": "dessert", "donut": "dessert"},
        "otherFood": ["banana", "apple", "orange", "broccoli", "carrot", "pizza"],
        "neutral": [
            "person", "dining table", "bowl", "cup", "wine glass", "bottle", "fork", "knife", "spoon",
            "sandwich", "hot dog", "cake", "donut",
        ],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", default="models/traycheck-det.onnx")
    ap.add_argument("--version", default=None)
    ap.add_argument("--coco", default=None, help="the released yolox_nano.onnx: ship its COCO head as a second opinion")
    ap.add_argument("--imgsz", default=None, help="HxW input to export at, multiples of 32 (default: the size it was trained at)")
    args = ap.parse_args()
    ck = torch.load(args.ckpt, map_location="cpu")
    names = ck["names"]
    h, w = ck["imgsz"]
    if args.imgsz:
        h, w = (int(x) for x in args.imgsz.split("x"))
        if h % 32 or w % 32:
            raise SystemExit(f"--imgsz {args.imgsz}: height and width must be multiples of 32")
    model = TrayDet(len(names), arch=ck.get("arch", "plain"))
    model.load_state_dict(ck["ema"])
    model.eval()
    outputs = ["output"]
    wrapped = Exported(model).eval()
    coco_provenance = None
    if args.coco or ck.get("coco"):
        if ck.get("arch") != "yolox-nano":
            raise SystemExit("--coco needs a yolox-nano checkpoint (the COCO head sits on its backbone)")
        if args.coco:
            coco, convs, sha = load_coco_head(args.coco)
            coco_provenance = {"head": "YOLOX-nano COCO head (Apache-2.0), unchanged", "sha256": sha, "convs": convs}
        else:  # embedded by yolox_coco.py: a store's box has no interop file
            coco = YoloxCoco().eval()
            coco.load_state_dict(ck["coco"])
            coco_provenance = ck.get("provenance", {}).get("secondOpinion", {"head": "YOLOX-nano COCO head"})
        wrapped = ExportedWithCoco(model, coco).eval()
        outputs.append("coco")
    dummy = torch.zeros(1, 3, h, w)
    torch.onnx.export(wrapped, dummy, args.out, opset_version=17, input_names=["images"], output_names=outputs, do_constant_folding=True)
    m = onnx.load(args.out)
    version = args.version or f"traycheck-det 1.0 ({datetime.date.today().isoformat()})"
    meta = {
        "names": json.dumps(names),
        "imgsz": json.dumps([h, w]),
        "stride": str(STRIDE),
        "task": "detect",
        "family": "traycheck",
        "version": version,
        "letterbox": "center",
        "normalize": "0..1 rgb",
        "arch": ck.get("arch", "plain"),
    }
    if ck.get("provenance"):
        meta["provenance"] = json.dumps({**ck["provenance"], **({"secondOpinion": coco_provenance} if coco_provenance else {})})
    if coco_provenance:
        meta["second_opinion"] = json.dumps(second_opinion_meta())
    del m.metadata_props[:]
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    m.producer_name = "traycheck tools/train/export.py"
    onnx.checker.check_model(m)
    onnx.save(m, args.out)
    print(json.dumps({"out": args.out, "bytes": os.path.getsize(args.out), "epoch": ck["epoch"], "best_val_map50": ck["best"], **meta}))


if __name__ == "__main__":
    main()
