"""Per-class NMS and VOC-style AP@0.5 (all-point interpolation), numpy only."""
import numpy as np


def iou_one(box, boxes):
    x1 = np.maximum(box[0], boxes[:, 0])
    y1 = np.maximum(box[1], boxes[:, 1])
    x2 = np.minimum(box[2], boxes[:, 2])
    y2 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    a = (box[2] - box[0]) * (box[3] - box[1])
    b = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return inter / np.maximum(a + b - inter, 1e-9)


def nms_detections(out, conf=0.05, iou=0.5, max_det=100):
    """out: [N, 4+nc] (the model output for one image). Returns list of (cls, score, box)."""
    boxes = out[:, :4]
    scores = out[:, 4:]
    dets = []
    for c in range(scores.shape[1]):
        s = scores[:, c]
        keep = np.nonzero(s > conf)[0]
        if keep.size == 0:
            continue
        order = keep[np.argsort(-s[keep])][:300]
        while order.size:
            k = order[0]
            dets.append((c, float(s[k]), boxes[k].copy()))
            if order.size == 1:
                break
            rest = order[1:]
            order = rest[iou_one(boxes[k], boxes[rest]) < iou]
    dets.sort(key=lambda d: -d[1])
    return dets[:max_det]


def average_precision(recall, precision):
    r = np.concatenate([[0.0], recall, [1.0]])
    p = np.concatenate([[0.0], precision, [0.0]])
    for i in range(len(p) - 2, -1, -1):
        p[i] = max(p[i], p[i + 1])
    idx = np.nonzero(r[1:] != r[:-1])[0]
    return float(np.sum((r[idx + 1] - r[idx]) * p[idx + 1]))


def evaluate(all_dets, all_gts, nc, iou_thr=0.5, recall_conf=0.25):
    """all_dets: per image list of (cls, score, box); all_gts: per image array [n,5] (cls, box).

    Returns per-class dict: ap, recall (at score >= recall_conf), n (ground-truth count).
    """
    res = {}
    for c in range(nc):
        recs = []
        npos = 0
        for dets, gts in zip(all_dets, all_gts):
            g = np.array([x[1:5] for x in gts if int(x[0]) == c], np.float32).reshape(-1, 4)
            npos += len(g)
            used = np.zeros(len(g), bool)
            for cls, score, box in dets:
                if cls != c:
                    continue
                tp = 0
                if len(g):
                    ious = iou_one(box, g)
                    j = int(np.argmax(ious))
                    if ious[j] >= iou_thr and not used[j]:
                        used[j] = True
                        tp = 1
                recs.append((score, tp))
        if npos == 0:
            res[c] = {"ap": float("nan"), "recall": float("nan"), "n": 0}
            continue
        recs.sort(key=lambda r: -r[0])
        tps = np.array([r[1] for r in recs], np.float32)
        scores = np.array([r[0] for r in recs], np.float32)
        ctp = np.cumsum(tps)
        recall = ctp / npos
        precision = ctp / np.arange(1, len(tps) + 1)
        ap = average_precision(recall, precision) if len(tps) else 0.0
        rec_at = float(tps[scores >= recall_conf].sum() / npos) if len(tps) else 0.0
        res[c] = {"ap": ap, "recall": rec_at, "n": npos}
    return res
