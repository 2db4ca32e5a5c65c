// Is the tray back at its spot the same tray? A tray lifted out of view and put back keeps its
// items where they were on it; the next tray for an identical order, put on the same spot, has
// them elsewhere. The shift is the mean distance between the items of the two layouts paired label
// by label, nearest pairs first, as a fraction of the tray's diagonal. The layouts are single
// frames: a box that flickers in or out on one of them (a weak second box on an item, an item half
// hidden for a frame) is left unpaired rather than making the layouts incomparable; the voted
// contents were already found the same.
//
// Where is an item? With the tray box seen on both frames, and about the same size on both (not
// half hidden on one), an item's place is its offset from the tray's centre: the next tray put
// down 50 px from where the last one stood, its burger 19 px from the last burger, has that burger
// elsewhere on the tray. Without two such boxes (an inferred tray is its items' bounds) it is its
// place in the frame.
//
// With both measures, the tray is the same when its items stayed put on it (the on-tray shift
// within half the limit: a tray put back 40 px off, its items moved with it), and new when they
// moved on it by more than the limit. Between the two the on-tray measure is not sure (the tray
// box's own jitter and a half-hidden item move it) and the frame decides: seed 21's T1153, the
// next one-drink tray put down 26 px from the last, had its drink 0.07 of the diagonal from the
// last drink on the tray but 0.12 in the frame.
import type { Box, Detection } from '../types.js';
import { centre, diagonal, distance, type Point } from './geometry.js';

/** Tray boxes whose sides differ by more than this factor are not the same view of a tray. */
const SAME_SIZE = 1.25;

export interface LayoutFrame {
  items: readonly Detection[];
  /** The tray box on that frame. */
  box: Box;
  /** The box is the items' bounds, not a detected tray. */
  inferred: boolean;
}

function comparableBoxes(a: LayoutFrame, b: LayoutFrame): boolean {
  if (a.inferred || b.inferred) return false;
  const ratio = (x: number, y: number): number => (x > 0 && y > 0 ? Math.max(x / y, y / x) : Infinity);
  return (
    ratio(a.box[2] - a.box[0], b.box[2] - b.box[0]) <= SAME_SIZE &&
    ratio(a.box[3] - a.box[1], b.box[3] - b.box[1]) <= SAME_SIZE
  );
}

/** How far the items moved, as fractions of the tray diagonal; `onTray` null without two comparable boxes. */
export interface LayoutShift {
  frame: number;
  onTray: number | null;
}

export function layoutShift(before: LayoutFrame, after: LayoutFrame): LayoutShift {
  return {
    frame: meanShift(before, after, false),
    onTray: comparableBoxes(before, after) ? meanShift(before, after, true) : null,
  };
}

/** Is the tray back at its spot laid out as before (the same tray), given the limit on its shift? */
export function sameLayout(before: LayoutFrame, after: LayoutFrame, limit: number): boolean {
  const { frame, onTray } = layoutShift(before, after);
  if (onTray === null) return frame <= limit;
  if (onTray <= limit / 2) return true;
  return onTray <= limit && frame <= limit;
}

function meanShift(before: LayoutFrame, after: LayoutFrame, onTray: boolean): number {
  const diag = diagonal(before.box);
  if (diag <= 0) return Infinity;
  if (before.items.length === 0 && after.items.length === 0) return 0;
  // Each item's place once: its centre, less the tray box's centre when measured on the tray.
  const places = (f: LayoutFrame): Point[] => {
    const [cx, cy] = onTray ? centre(f.box) : [0, 0];
    return f.items.map((d): Point => {
      const [x, y] = centre(d.box);
      return [x - cx, y - cy];
    });
  };
  const was = places(before);
  const now = places(after);
  const pairs: Array<{ dist: number; b: number; a: number }> = [];
  after.items.forEach((d, a) =>
    before.items.forEach((e, b) => {
      if (e.label === d.label) pairs.push({ dist: distance(was[b] as Point, now[a] as Point), b, a });
    }),
  );
  pairs.sort((x, y) => x.dist - y.dist);
  const usedB = new Set<number>();
  const usedA = new Set<number>();
  let total = 0;
  for (const p of pairs) {
    if (usedB.has(p.b) || usedA.has(p.a)) continue;
    usedB.add(p.b);
    usedA.add(p.a);
    total += p.dist;
  }
  // Nothing to pair (no label in common): nothing says it is the same tray.
  return usedA.size === 0 ? Infinity : total / usedA.size / diag;
}
