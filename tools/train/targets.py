"""Training targets and losses for the stride-8 centre-heatmap + box-distance head."""
import math

import numpy as np
import torch
import torch.nn.functional as F

from model import STRIDE


def build_targets(boxes_list, nc, h, w):
    """boxes_list: per image an array [n,5] (cls, x1, y1, x2, y2) in input pixels.

    Returns heat [B,nc,h,w] (gaussian peaks at object centres), box [B,nc,4,h,w] (ltrb target
    distances) and weight [B,nc,h,w] (box-loss weight; 0 where no object of that class owns the cell).
    """
    b = len(boxes_list)
    heat = np.zeros((b, nc, h, w), np.float32)
    box = np.zeros((b, nc, 4, h, w), np.float32)
    weight = np.zeros((b, nc, h, w), np.float32)
    owner_area = np.full((b, nc, h, w), np.inf, np.float32)
    gx = (np.arange(w, dtype=np.float32) + 0.5) * STRIDE
    gy = (np.arange(h, dtype=np.float32) + 0.5) * STRIDE
    for i, objs in enumerate(boxes_list):
        for c, x1, y1, x2, y2 in objs:
            bw, bh = x2 - x1, y2 - y1
            if bw < 2 or bh < 2:
                continue
            c = int(c)
            cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
            sx = max(0.5, bw / STRIDE / 6.0)
            sy = max(0.5, bh / STRIDE / 6.0)
            # Window of cells around the centre (3 sigma), clipped to the grid.
            ccx, ccy = cx / STRIDE - 0.5, cy / STRIDE - 0.5
            j0, j1 = max(0, int(math.floor(ccx - 3 * sx))), min(w - 1, int(math.ceil(ccx + 3 * sx)))
            i0, i1 = max(0, int(math.floor(ccy - 3 * sy))), min(h - 1, int(math.ceil(ccy + 3 * sy)))
            if j1 < j0 or i1 < i0:
                continue
            jj = np.arange(j0, j1 + 1, dtype=np.float32)
            ii = np.arange(i0, i1 + 1, dtype=np.float32)
            g = np.exp(-((jj[None, :] - ccx) ** 2) / (2 * sx * sx) - ((ii[:, None] - ccy) ** 2) / (2 * sy * sy))
            # The cell holding the centre is an exact peak of 1.
            pj, pi = int(min(max(round(ccx), 0), w - 1)), int(min(max(round(ccy), 0), h - 1))
            if i0 <= pi <= i1 and j0 <= pj <= j1:
                g[pi - i0, pj - j0] = 1.0
            hv = heat[i, c, i0 : i1 + 1, j0 : j1 + 1]
            np.maximum(hv, g, out=hv)
            # Box regression on cells inside the box near the centre; smaller objects win ties.
            xs, ys = gx[j0 : j1 + 1], gy[i0 : i1 + 1]
            inside = (xs[None, :] > x1) & (xs[None, :] < x2) & (ys[:, None] > y1) & (ys[:, None] < y2)
            area = bw * bh
            own = owner_area[i, c, i0 : i1 + 1, j0 : j1 + 1]
            take = inside & (g > 0.2) & (area < own)
            if not take.any():
                continue
            own[take] = area
            weight[i, c, i0 : i1 + 1, j0 : j1 + 1][take] = g[take]
            bx = box[i, c, :, i0 : i1 + 1, j0 : j1 + 1]
            bx[0][take] = (xs[None, :] - x1).repeat(len(ys), 0)[take]
            bx[1][take] = (ys[:, None] - y1).repeat(len(xs), 1)[take]
            bx[2][take] = (x2 - xs[None, :]).repeat(len(ys), 0)[take]
            bx[3][take] = (y2 - ys[:, None]).repeat(len(xs), 1)[take]
    return torch.from_numpy(heat), torch.from_numpy(box), torch.from_numpy(weight)


def focal_heatmap_loss(logits, heat):
    """CenterNet's penalty-reduced focal loss, normalised by the number of peaks."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = heat.eq(1).float()
    neg = 1 - pos
    pos_loss = -torch.log(p) * (1 - p) ** 2 * pos
    neg_loss = -torch.log(1 - p) * p**2 * (1 - heat) ** 4 * neg
    n = pos.sum().clamp(min=1)
    return (pos_loss.sum() + neg_loss.sum()) / n


def giou_loss(pred, target, weight):
    """pred/target: [B,nc,4,h,w] ltrb distances; weight [B,nc,h,w]."""
    m = weight > 0
    if not m.any():
        return pred.sum() * 0
    p = pred.permute(0, 1, 3, 4, 2)[m]
    t = target.permute(0, 1, 3, 4, 2)[m]
    wv = weight[m]
    pa = (p[:, 0] + p[:, 2]) * (p[:, 1] + p[:, 3])
    ta = (t[:, 0] + t[:, 2]) * (t[:, 1] + t[:, 3])
    iw = torch.min(p[:, 0], t[:, 0]) + torch.min(p[:, 2], t[:, 2])
    ih = torch.min(p[:, 1], t[:, 1]) + torch.min(p[:, 3], t[:, 3])
    inter = iw.clamp(min=0) * ih.clamp(min=0)
    union = pa + ta - inter + 1e-6
    iou = inter / union
    cw = torch.max(p[:, 0], t[:, 0]) + torch.max(p[:, 2], t[:, 2])
    ch = torch.max(p[:, 1], t[:, 1]) + torch.max(p[:, 3], t[:, 3])
    hull = cw * ch + 1e-6
    giou = iou - (hull - union) / hull
    return ((1 - giou) * wv).sum() / wv.sum().clamp(min=1e-6)
