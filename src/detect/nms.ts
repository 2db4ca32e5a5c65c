// Class-wise non-maximum suppression and box clipping.
import type { Box } from '../types.js';

/** A decoded box before NMS, in model input pixels. */
export interface Candidate {
  box: Box;
  score: number;
  classId: number;
}

export function iou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Keeps the best box of each cluster of same-class boxes overlapping more than `iouThreshold`;
 * boxes of different classes never suppress each other. Result sorted by score, at most `maxDetections`.
 */
export function nmsClassWise(
  candidates: readonly Candidate[],
  iouThreshold: number,
  maxDetections: number,
): Candidate[] {
  const sorted = [...candidates].sort((p, q) => q.score - p.score);
  const keptByClass = new Map<number, Candidate[]>();
  const kept: Candidate[] = [];
  for (const c of sorted) {
    if (kept.length >= maxDetections) break;
    const same = keptByClass.get(c.classId);
    if (same?.some((k) => iou(k.box, c.box) > iouThreshold)) continue;
    if (same) same.push(c);
    else keptByClass.set(c.classId, [c]);
    kept.push(c);
  }
  return kept;
}

/** Clips a box to [0, width] × [0, height]; null when less than `minSizePx` of it is left inside. */
export function clipBox(box: Box, width: number, height: number, minSizePx = 1): Box | null {
  const x1 = Math.min(Math.max(box[0], 0), width);
  const y1 = Math.min(Math.max(box[1], 0), height);
  const x2 = Math.min(Math.max(box[2], 0), width);
  const y2 = Math.min(Math.max(box[3], 0), height);
  if (x2 - x1 < minSizePx || y2 - y1 < minSizePx) return null;
  return [x1, y1, x2, y2];
}
