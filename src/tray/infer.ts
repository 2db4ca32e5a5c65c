// Trays that hide their tray: a crowded tray (ten large items) covers the tray so the detector
// finds no tray box, yet every item is visible. Items in the check zone that no tray box owns are
// grouped by proximity (single linkage); a group of at least `minItems` forms an inferred tray
// whose box is the group's bounds. Whether the group stays together is left to the tracker's
// settle vote (a group that moves or changes does not settle).
import type { Box, Detection } from '../types.js';
import { bounds, centre, diagonal, distance } from './geometry.js';

export interface InferOptions {
  /** Smallest group that makes a tray (0 disables inference). */
  minItems: number;
  /** Two items join when their centres are closer than this many times the larger item's diagonal. */
  joinFactor: number;
}

export interface ItemGroup {
  box: Box;
  /** Indices into the items. */
  members: number[];
}

/** Two items are neighbours: centres closer than `joinFactor` times the larger item's diagonal. */
export function neighbours(a: Detection, b: Detection, joinFactor: number): boolean {
  return distance(centre(a.box), centre(b.box)) <= joinFactor * Math.max(diagonal(a.box), diagonal(b.box));
}

/** Every group of items by proximity (single linkage), singletons included, each with its bounds. */
export function groupItems(items: readonly Detection[], joinFactor: number): ItemGroup[] {
  const parent = items.map((_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    return r;
  };
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i];
      const b = items[j];
      if (a && b && neighbours(a, b, joinFactor)) parent[root(j)] = root(i);
    }
  }
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
  const out: ItemGroup[] = [];
  for (const members of groups.values()) {
    const boxes = members.map((i) => items[i]?.box).filter((b): b is Box => Boolean(b));
    out.push({ box: bounds(boxes), members });
  }
  return out.sort((a, b) => a.box[0] - b.box[0] || a.box[1] - b.box[1]);
}
