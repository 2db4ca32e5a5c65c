"""YOLOX-nano's own COCO detector on top of the shared frozen backbone: the "second opinion" that
traycheck 3.1+ ships beside its own head (architecture after the YOLOX paper and its Apache-2.0
reference; no third-party code is copied or imported; weights from the released ONNX file).

Why: traycheck's head is trained on our renders; this head was trained on real COCO photographs.
It knows a sandwich, a cup and a cake when it sees a real one, and it knows a clock, a phone or a
pizza is not a menu item. The detector uses it to fill in real items our head is silent on and to
stop our head from naming things that are clearly something else (src/detect/second-opinion.ts).

Built from the file's convs 47..112: an untouched copy of the top-down PAFPN half (traycheck's
own copy is fine-tuned), the bottom-up half (bu_conv2, C3_n3, bu_conv1, C3_n4) and the decoupled
heads at strides 8, 16, 32 (stem, 2 cls convs, cls pred, 2 reg convs, reg pred, obj pred).
The output is decoded in the graph: [B, N, 4 + 80] = x1, y1, x2, y2 in input pixels, then
objectness x class score for the 80 COCO classes.
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from yolox_backbone import CSP, Conv, DWConv, load_yolox_onnx, top_down_maps  # noqa: E402

# First conv of the top-down half in the released file (lateral_conv0), see check_backbone.py.
FIRST_CONV = 47
STRIDES = (8, 16, 32)

COCO80 = (
    "person bicycle car motorcycle airplane bus train truck boat traffic_light fire_hydrant stop_sign "
    "parking_meter bench bird cat dog horse sheep cow elephant bear zebra giraffe backpack umbrella "
    "handbag tie suitcase frisbee skis snowboard sports_ball kite baseball_bat baseball_glove skateboard "
    "surfboard tennis_racket bottle wine_glass cup fork knife spoon bowl banana apple sandwich orange "
    "broccoli carrot hot_dog pizza donut cake chair couch potted_plant bed dining_table toilet tv laptop "
    "mouse remote keyboard cell_phone microwave oven toaster sink refrigerator book clock vase scissors "
    "teddy_bear hair_drier toothbrush"
).split()
COCO80 = [n.replace("_", " ") for n in COCO80]


class Head(nn.Module):
    """One level of YOLOX's decoupled head (registration order = the file's conv order)."""

    def __init__(self, cin, width=64, nc=80):
        super().__init__()
        self.stem = Conv(cin, width, 1)
        self.cls_convs = nn.Sequential(DWConv(width, width, 3), DWConv(width, width, 3))
        self.cls_pred = nn.Conv2d(width, nc, 1)
        self.reg_convs = nn.Sequential(DWConv(width, width, 3), DWConv(width, width, 3))
        self.reg_pred = nn.Conv2d(width, 4, 1)
        self.obj_pred = nn.Conv2d(width, 1, 1)

    def forward(self, x, stride):
        x = self.stem(x)
        cls = torch.sigmoid(self.cls_pred(self.cls_convs(x)))
        reg_feat = self.reg_convs(x)
        reg = self.reg_pred(reg_feat)
        obj = torch.sigmoid(self.obj_pred(reg_feat))
        b, _, h, w = x.shape
        gy, gx = torch.meshgrid(
            torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing="ij"
        )
        cx = (reg[:, 0] + gx) * stride
        cy = (reg[:, 1] + gy) * stride
        bw = torch.exp(reg[:, 2]) * stride
        bh = torch.exp(reg[:, 3]) * stride
        boxes = torch.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], 1)  # [B,4,h,w]
        scores = obj * cls  # [B,80,h,w]
        return torch.cat([boxes, scores], 1).flatten(2).transpose(1, 2)  # [B, h*w, 84]


class YoloxCoco(nn.Module):
    """C3, C4, C5 of the frozen YOLOX-nano backbone -> YOLOX's decoded COCO detections."""

    def __init__(self):
        super().__init__()
        # The same attribute names as YoloxNanoP3, so top_down_maps() runs on these copies.
        self.lateral0 = Conv(256, 128, 1)
        self.c3_p4 = CSP(256, 128, 1, shortcut=False)
        self.reduce1 = Conv(128, 64, 1)
        self.c3_p3 = CSP(128, 64, 1, shortcut=False)
        self.bu_conv2 = DWConv(64, 64, 3, 2)
        self.c3_n3 = CSP(128, 128, 1, shortcut=False)
        self.bu_conv1 = DWConv(128, 128, 3, 2)
        self.c3_n4 = CSP(256, 256, 1, shortcut=False)
        self.heads = nn.ModuleList([Head(64), Head(128), Head(256)])

    def forward(self, c3, c4, c5):
        fpn0, fpn1, pan2 = top_down_maps(self, c3, c4, c5)
        pan1 = self.c3_n3(torch.cat([self.bu_conv2(pan2), fpn1], 1))
        pan0 = self.c3_n4(torch.cat([self.bu_conv1(pan1), fpn0], 1))
        return torch.cat([h(p, s) for h, p, s in zip(self.heads, (pan2, pan1, pan0), STRIDES)], 1)


def load_coco_head(path):
    """A YoloxCoco with the released file's weights (convs 47..112, shapes checked)."""
    head = YoloxCoco().eval()
    n, sha = load_yolox_onnx(head, path, first=FIRST_CONV)
    for p in head.parameters():
        p.requires_grad_(False)
    return head, n, sha


def main():
    """Embed the COCO head's weights in a yolox-nano checkpoint, so that training and export on a
    store's box (no interop file there) keep the second opinion."""
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--weights", required=True, help="the released yolox_nano.onnx")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    ck = torch.load(args.ckpt, map_location="cpu")
    if ck.get("arch") != "yolox-nano":
        raise SystemExit(f"{args.ckpt}: not a yolox-nano checkpoint")
    head, convs, sha = load_coco_head(args.weights)
    ck["coco"] = head.state_dict()
    ck.setdefault("provenance", {})["secondOpinion"] = {
        "head": "YOLOX-nano COCO head (Apache-2.0), unchanged",
        "file": os.path.basename(args.weights),
        "sha256": sha,
        "convs": convs,
    }
    torch.save(ck, args.out)
    print(f"{args.out}: COCO head embedded ({convs} convs from {sha[:12]}...)")


if __name__ == "__main__":
    main()
