"""traycheck-det: a small anchor-free detector written for this project (no third-party model code).

A small conv backbone (strides 2..32), a light FPN that brings strides 16 and 32 back
to stride 8, and one stride-8 head: a per-class centre heatmap (CenterNet-style) plus four
box distances (left, top, right, bottom; FCOS-style) per cell and class. Boxes are
per class so that a tray and the burger lying on its centre do not compete for one cell.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

STRIDE = 8


def conv_bn(cin, cout, k=3, s=1, groups=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class TrayDet(nn.Module):
    """Plain 3x3 conv backbone (CPU training is several times faster than with depthwise
    convs in PyTorch), FPN from strides 16/32 into stride 8, separate class and box towers."""

    def __init__(self, nc=10, fpn=64, arch="plain"):
        super().__init__()
        self.nc = nc
        self.arch = arch
        if arch == "yolox-nano":
            # COCO-pretrained feature extractor (tools/train/yolox_backbone.py); P3 is 64 channels.
            from yolox_backbone import YoloxNanoP3

            self.neck = YoloxNanoP3()
        elif arch == "plain":
            self.plain_backbone(fpn)
        else:
            raise ValueError(f"unknown arch {arch!r} (plain, yolox-nano)")
        # Registered after the backbone: the parameter order of "plain" stays what 1.0/2.0 saved.
        self.head(nc, fpn)

    def plain_backbone(self, fpn):
        self.b3 = nn.Sequential(conv_bn(3, 16, 3, 2), conv_bn(16, 32, 3, 2), conv_bn(32, 48, 3, 2), conv_bn(48, 48))  # /8
        self.b4 = nn.Sequential(conv_bn(48, 96, 3, 2), conv_bn(96, 96))  # /16
        self.b5 = nn.Sequential(conv_bn(96, 128, 3, 2), conv_bn(128, 128), conv_bn(128, 128))  # /32
        self.l3 = conv_bn(48, fpn, 1)
        self.l4 = conv_bn(96, fpn, 1)
        self.l5 = conv_bn(128, fpn, 1)
        self.m3 = conv_bn(fpn, fpn)

    def head(self, nc, fpn):
        self.cls_tower = conv_bn(fpn, fpn)
        self.box_tower = conv_bn(fpn, fpn)
        self.cls = nn.Conv2d(fpn, nc, 1)
        self.box = nn.Conv2d(fpn, 4 * nc, 1)
        nn.init.constant_(self.cls.bias, -4.6)  # prior 0.01: the heatmap starts near empty
        nn.init.constant_(self.box.bias, 0.5)
        nn.init.normal_(self.box.weight, std=0.01)

    def forward(self, x):
        """Returns (class logits [B,nc,h,w], box distances in input pixels [B,nc,4,h,w])."""
        if self.arch == "yolox-nano":
            p3 = self.neck(x)
        else:
            c3 = self.b3(x)
            c4 = self.b4(c3)
            c5 = self.b5(c4)
            p4 = self.l4(c4) + F.interpolate(self.l5(c5), size=c4.shape[-2:], mode="nearest")
            p3 = self.m3(self.l3(c3) + F.interpolate(p4, size=c3.shape[-2:], mode="nearest"))
        return self.head_forward(p3)

    def head_forward(self, p3):
        logits = self.cls(self.cls_tower(p3))
        dist = F.softplus(self.box(self.box_tower(p3))) * 16.0
        b, _, h, w = dist.shape
        return logits, dist.view(b, self.nc, 4, h, w)


def grid_centres(h, w, device=None):
    ys = (torch.arange(h, device=device, dtype=torch.float32) + 0.5) * STRIDE
    xs = (torch.arange(w, device=device, dtype=torch.float32) + 0.5) * STRIDE
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    return gx, gy


def decode(logits, dist):
    """[B, h*w*nc, 4+nc]: one candidate per cell and class: x1,y1,x2,y2 in input pixels,
    then the class scores 0..1 (the candidate's own class, zeros elsewhere). The ONNX output."""
    b, nc, h, w = logits.shape
    gx, gy = grid_centres(h, w, logits.device)
    x1 = (gx - dist[:, :, 0]).clamp(0, w * STRIDE)
    y1 = (gy - dist[:, :, 1]).clamp(0, h * STRIDE)
    x2 = (gx + dist[:, :, 2]).clamp(0, w * STRIDE)
    y2 = (gy + dist[:, :, 3]).clamp(0, h * STRIDE)
    boxes = torch.stack([x1, y1, x2, y2], -1).flatten(2, 3).transpose(1, 2)  # [B, hw, nc, 4]
    scores = torch.sigmoid(logits).flatten(2).transpose(1, 2)  # [B, hw, nc]
    eye = torch.eye(nc, device=logits.device)
    onehot = scores.unsqueeze(-1) * eye  # [B, hw, nc, nc]
    return torch.cat([boxes, onehot], -1).reshape(b, h * w * nc, 4 + nc)
