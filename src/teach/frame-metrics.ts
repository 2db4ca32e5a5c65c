// Pure scoring of a model on labelled frames: per-class AP@0.5 (VOC all-point, greedy matching
// by score) and count accuracy per tray (the items whose centre lies in a labelled tray, counted
// per label at the daemon's thresholds, equal to the truth).
import type { Box } from '../types.js';

export interface Labelled {
  label: string;
  box: Box;
}
export interface Scored extends Labelled {
  score: number;
}

export interface FrameResult {
  truth: Labelled[];
  detections: Scored[];
}

export interface FrameMetrics {
  frames: number;
  /** AP@0.5 per class that has at least one true object. */
  ap50: Record<string, number>;
  objects: Record<string, number>;
  /** Mean AP over `classes` (those given) that have objects; null when none. */
  map50: number | null;
  trays: number;
  trayCountAccuracy: number | null;
}

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

function apOf(frames: FrameResult[], label: string): { ap: number; n: number } {
  const truths = frames.map((f) => f.truth.filter((t) => t.label === label));
  const n = truths.reduce((s, t) => s + t.length, 0);
  const dets = frames
    .flatMap((f, i) => f.detections.filter((d) => d.label === label).map((d) => ({ ...d, frame: i })))
    .sort((a, b) => b.score - a.score);
  const used = truths.map((t) => new Array<boolean>(t.length).fill(false));
  const tp: number[] = [];
  for (const d of dets) {
    const t = truths[d.frame] as Labelled[];
    let best = -1;
    let bestIou = 0.5;
    t.forEach((g, j) => {
      const v = iou(d.box, g.box);
      if (!(used[d.frame] as boolean[])[j] && v >= bestIou) {
        best = j;
        bestIou = v;
      }
    });
    if (best >= 0) (used[d.frame] as boolean[])[best] = true;
    tp.push(best >= 0 ? 1 : 0);
  }
  if (n === 0) return { ap: 0, n };
  // Precision envelope over recall, summed where recall steps (VOC all-point).
  const rec: number[] = [];
  const prec: number[] = [];
  let cum = 0;
  tp.forEach((v, i) => {
    cum += v;
    rec.push(cum / n);
    prec.push(cum / (i + 1));
  });
  for (let i = prec.length - 2; i >= 0; i--) prec[i] = Math.max(prec[i] as number, prec[i + 1] as number);
  let ap = 0;
  let prevRec = 0;
  rec.forEach((r, i) => {
    if (r > prevRec) {
      ap += (r - prevRec) * (prec[i] as number);
      prevRec = r;
    }
  });
  return { ap, n };
}

function countsIn(tray: Box, items: Labelled[]): string {
  const c: Record<string, number> = {};
  for (const it of items) {
    const cx = (it.box[0] + it.box[2]) / 2;
    const cy = (it.box[1] + it.box[3]) / 2;
    if (cx >= tray[0] && cx <= tray[2] && cy >= tray[1] && cy <= tray[3])
      c[it.label] = (c[it.label] ?? 0) + 1;
  }
  return JSON.stringify(Object.entries(c).sort());
}

export function scoreFrames(
  frames: FrameResult[],
  classes: readonly string[],
  threshold: (label: string) => number,
): FrameMetrics {
  const ap50: Record<string, number> = {};
  const objects: Record<string, number> = {};
  for (const c of classes) {
    const { ap, n } = apOf(frames, c);
    if (n === 0) continue;
    ap50[c] = Math.round(ap * 1000) / 1000;
    objects[c] = n;
  }
  const aps = Object.values(ap50);
  let trays = 0;
  let right = 0;
  const notItem = (l: Labelled): boolean => l.label !== 'tray' && l.label !== 'hand';
  for (const f of frames) {
    const kept = f.detections.filter((d) => notItem(d) && d.score >= threshold(d.label));
    for (const t of f.truth.filter((x) => x.label === 'tray')) {
      trays++;
      if (countsIn(t.box, f.truth.filter(notItem)) === countsIn(t.box, kept)) right++;
    }
  }
  return {
    frames: frames.length,
    ap50,
    objects,
    map50: aps.length ? Math.round((aps.reduce((a, b) => a + b, 0) / aps.length) * 1000) / 1000 : null,
    trays,
    trayCountAccuracy: trays ? Math.round((right / trays) * 1000) / 1000 : null,
  };
}
