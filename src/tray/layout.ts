// Is the tray back at its spot the same tray? A tray lifted out of view and put back keeps its
// items where they were; the next tray for an identical order, put on the same spot, has them
// elsewhere. The shift is the mean distance between the items of the two layouts paired label by
// label, nearest pairs first, as a fraction of the tray's diagonal. The layouts are single frames:
// a box that flickers in or out on one of them (a weak second box on an item, an item half hidden
// for a frame) is left unpaired rather than making the layouts incomparable; the voted contents
// were already found the same.
import type { Box, Detection } from '../types.js';
import { centre, diagonal, distance } from './geometry.js';

export function layoutShift(before: readonly Detection[], after: readonly Detection[], trayBox: Box): number {
  const diag = diagonal(trayBox);
  if (diag <= 0) return Infinity;
  if (before.length === 0 && after.length === 0) return 0;
  const pairs: Array<{ dist: number; b: number; a: number }> = [];
  after.forEach((d, a) =>
    before.forEach((e, b) => {
      if (e.label === d.label) pairs.push({ dist: distance(centre(e.box), centre(d.box)), b, a });
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
