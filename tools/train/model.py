"""traycheck-det: a small anchor-free detector written for this project (no third-party model code).

Depthwise-separable backbone (strides 2..32), a light FPN that brings strides 16 and 32 back
to stride 8, and one stride-8 head: a per-class centre heatmap (CenterNet-style) plus four
box distances (left, top, right, bottom; FCOS-style) per cell.
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


class DwSep(nn.Module):
    """Depthwise kxk + pointwise 1x1, residual when the shape is kept."""

    def __init__(self, cin, cout, s=1, k=3):
        super().__init__()
        self.dw = nn.Sequential(nn.Conv2d(cin, cin, k, s, k // 2, groups=cin, bias=False), nn.BatchNorm2d(cin))
        self.pw = conv_bn(cin, cout, 1)
        self.res = s == 1 and cin == cout

    def forward(self, x):
        y = self.pw(self.dw(x))
        return x + y if self.res else y


def stage(cin, cout, n, k=3):
    return nn.Sequential(DwSep(cin, cout, 2, k), *[DwSep(cout, cout, 1, k) for _ in range(n)])


class TrayDet(nn.Module):
    def __init__(self, nc=10, widths=(24, 48, 72, 128, 192), fpn=72):
        super().__init__()
        self.nc = nc
        w0, w1, w2, w3, w4 = widths
        self.stem = conv_bn(3, w0, 3, 2)  # /2
        self.s1 = stage(w0, w1, 1)  # /4
        self.s2 = stage(w1, w2, 2)  # /8
        self.s3 = stage(w2, w3, 3, 5)  # /16
        self.s4 = stage(w3, w4, 2, 5)  # /32
        self.l3 = conv_bn(w2, fpn, 1)
        self.l4 = conv_bn(w3, fpn, 1)
        self.l5 = conv_bn(w4, fpn, 1)
        self.m4 = DwSep(fpn, fpn, 1, 5)
        self.m3 = nn.Sequential(DwSep(fpn, fpn, 1, 5), DwSep(fpn, fpn, 1, 3))
        self.cls_tower = DwSep(fpn, fpn, 1, 3)
        self.box_tower = nn.Sequential(DwSep(fpn, fpn, 1, 3), DwSep(fpn, fpn, 1, 3))
        self.cls = nn.Conv2d(fpn, nc, 1)
        self.box = nn.Conv2d(fpn, 4, 1)
        nn.init.constant_(self.cls.bias, -4.6)  # prior 0.01: the heatmap starts near empty
        nn.init.constant_(self.box.bias, 0.5)
        nn.init.normal_(self.box.weight, std=0.01)

    def forward(self, x):
        """Returns (class logits [B,nc,h,w], box distances in input pixels [B,4,h,w])."""
        c3 = self.s2(self.s1(self.stem(x)))
        c4 = self.s3(c3)
        c5 = self.s4(c4)
        p5 = self.l5(c5)
        p4 = self.m4(self.l4(c4) + F.interpolate(p5, size=c4.shape[-2:], mode="nearest"))
        p3 = self.m3(self.l3(c3) + F.interpolate(p4, size=c3.shape[-2:], mode="nearest"))
        logits = self.cls(self.cls_tower(p3))
        dist = F.softplus(self.box(self.box_tower(p3))) * 16.0
        return logits, dist


def grid_centres(h, w, device=None):
    ys = (torch.arange(h, device=device, dtype=torch.float32) + 0.5) * STRIDE
    xs = (torch.arange(w, device=device, dtype=torch.float32) + 0.5) * STRIDE
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    return gx, gy


def decode(logits, dist):
    """[B,N,4+nc]: x1,y1,x2,y2 in input pixels, then class scores 0..1 (the ONNX output)."""
    b, nc, h, w = logits.shape
    gx, gy = grid_centres(h, w, logits.device)
    x1 = gx - dist[:, 0]
    y1 = gy - dist[:, 1]
    x2 = gx + dist[:, 2]
    y2 = gy + dist[:, 3]
    boxes = torch.stack([x1, y1, x2, y2], 1).clamp(min=0)
    boxes = torch.stack([boxes[:, 0].clamp(max=w * STRIDE), boxes[:, 1].clamp(max=h * STRIDE), boxes[:, 2].clamp(max=w * STRIDE), boxes[:, 3].clamp(max=h * STRIDE)], 1)
    scores = torch.sigmoid(logits)
    return torch.cat([boxes, scores], 1).flatten(2).transpose(1, 2)
