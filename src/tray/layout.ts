// Is the tray back at its spot the same tray? A tray lifted out of view and put back keeps its
// items where they were; the next tray for an identical order, put on the same spot, has them
// elsewhere. The shift is the mean distance from each item to the nearest unused item of the same
// label on the earlier layout, as a fraction of the tray's diagonal.
import type { Box, Detection } from '../types.js';
import { centre, diagonal, distance } from './geometry.js';

export function layoutShift(before: readonly Detection[], after: readonly Detection[], trayBox: Box): number {
  const diag = diagonal(trayBox);
  if (diag <= 0 || before.length !== after.length) return Infinity;
  if (after.length === 0) return 0;
  const used = new Set<number>();
  let total = 0;
  for (const d of after) {
    let best = -1;
    let bestDist = Infinity;
    before.forEach((b, i) => {
      if (used.has(i) || b.label !== d.label) return;
      const dist = distance(centre(b.box), centre(d.box));
      if (dist < bestDist) {
        bestDist = dist;
        best = i;
      }
    });
    if (best < 0) return Infinity;
    used.add(best);
    total += bestDist;
  }
  return total / after.length / diag;
}
