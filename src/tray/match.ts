// Frame-to-frame tray association: greedy one-to-one matching by IoU, then by centre distance
// (a tray slid along the counter between two frames may no longer overlap its old box much).
import type { Box } from '../types.js';
import { centre, diagonal, distance, iou } from './geometry.js';

export interface MatchOptions {
  /** Minimum IoU to be the same tray. */
  minIou: number;
  /** Or centres closer than this fraction of the previous box's diagonal. */
  maxCentreDist: number;
}

export interface MatchResult {
  /** [index into previous, index into current] */
  pairs: [number, number][];
  /** Indices into current that matched nothing (new trays). */
  unmatched: number[];
}

export function matchBoxes(
  previous: readonly Box[],
  current: readonly Box[],
  opts: MatchOptions,
): MatchResult {
  const candidates: { p: number; c: number; overlap: number; dist: number }[] = [];
  previous.forEach((pb, p) => {
    const pc = centre(pb);
    const diag = diagonal(pb);
    current.forEach((cb, c) => {
      const overlap = iou(pb, cb);
      const dist = diag > 0 ? distance(pc, centre(cb)) / diag : Infinity;
      if (overlap >= opts.minIou || dist <= opts.maxCentreDist) candidates.push({ p, c, overlap, dist });
    });
  });
  // Best overlap first, then nearest; index order breaks exact ties so the result is deterministic.
  candidates.sort((a, b) => b.overlap - a.overlap || a.dist - b.dist || a.p - b.p || a.c - b.c);
  const usedP = new Set<number>();
  const usedC = new Set<number>();
  const pairs: [number, number][] = [];
  for (const m of candidates) {
    if (usedP.has(m.p) || usedC.has(m.c)) continue;
    usedP.add(m.p);
    usedC.add(m.c);
    pairs.push([m.p, m.c]);
  }
  const unmatched = current.map((_, i) => i).filter((i) => !usedC.has(i));
  return { pairs, unmatched };
}
