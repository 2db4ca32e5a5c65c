"""Export a checkpoint (EMA weights) to ONNX with the contract the detector expects.

/usr/bin/python3 tools/train/export.py --ckpt tools/train/runs/v1/best.pt --out models/traycheck-det.onnx

input  `images` float32 [1,3,H,W], RGB 0..1, letterboxed centred, pad 114
output `output` float32 [1,N,4+nc]: x1,y1,x2,y2 (input pixels), class scores 0..1; no NMS
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


class Exported(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, images):
        return decode(*self.model(images))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", default="models/traycheck-det.onnx")
    ap.add_argument("--version", default=None)
    args = ap.parse_args()
    ck = torch.load(args.ckpt, map_location="cpu")
    names = ck["names"]
    h, w = ck["imgsz"]
    model = TrayDet(len(names), arch=ck.get("arch", "plain"))
    model.load_state_dict(ck["ema"])
    model.eval()
    wrapped = Exported(model).eval()
    dummy = torch.zeros(1, 3, h, w)
    torch.onnx.export(wrapped, dummy, args.out, opset_version=17, input_names=["images"], output_names=["output"], do_constant_folding=True)
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
        meta["provenance"] = json.dumps(ck["provenance"])
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
