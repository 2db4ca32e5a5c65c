// One frame's detections → the trays in the check zone, each with the items whose centre lies
// on it, the labels seen near the score threshold, and whether a hand is over it.
import type { Box, Detection, LabelCounts } from '../types.js';
import { area, centre, containsPoint, distance, intersection, pointInPolygon } from './geometry.js';

export interface AssignOptions {
  /** Check zone, 0..1 of the frame. */
  zone: readonly (readonly [number, number])[];
  width: number;
  height: number;
  trayLabel: string;
  handLabel: string;
  /** Fraction of a hand box's area that must lie inside a tray box for the hand to be over it. */
  handOverlap: number;
  threshold: (label: string) => number;
  uncertainMargin: number;
}

export interface FrameTray {
  box: Box;
  /** The tray detection itself followed by the items counted on it. */
  detections: Detection[];
  counts: LabelCounts;
  nearThreshold: string[];
  handOver: boolean;
}

export function assignFrame(detections: readonly Detection[], opts: AssignOptions): FrameTray[] {
  const near = (d: Detection): boolean => Math.abs(d.score - opts.threshold(d.label)) < opts.uncertainMargin;
  const counted = (d: Detection): boolean => d.score >= opts.threshold(d.label);
  const inZone = (b: Box): boolean => {
    const [x, y] = centre(b);
    return opts.width > 0 && opts.height > 0 && pointInPolygon([x / opts.width, y / opts.height], opts.zone);
  };

  const trays: FrameTray[] = detections
    .filter((d) => d.label === opts.trayLabel && counted(d) && inZone(d.box))
    .map((d) => ({ box: d.box, detections: [d], counts: {}, nearThreshold: [], handOver: false }));
  if (trays.length === 0) return trays;

  for (const d of detections) {
    if (d.label === opts.trayLabel) continue;
    if (d.label === opts.handLabel) {
      if (!counted(d)) continue;
      const handArea = area(d.box);
      for (const t of trays) {
        if (handArea > 0 && intersection(d.box, t.box) / handArea > opts.handOverlap) t.handOver = true;
      }
      continue;
    }
    const isCounted = counted(d);
    const isNear = near(d);
    if (!isCounted && !isNear) continue;
    const tray = owner(trays, centre(d.box));
    if (!tray) continue; // items outside every tray are ignored
    if (isCounted) {
      tray.counts[d.label] = (tray.counts[d.label] ?? 0) + 1;
      tray.detections.push(d);
    }
    if (isNear && !tray.nearThreshold.includes(d.label)) tray.nearThreshold.push(d.label);
  }
  for (const t of trays) t.nearThreshold.sort();
  return trays;
}

/** The tray whose box contains the point; where boxes overlap, the smallest, then the nearest centre. */
function owner(trays: FrameTray[], p: [number, number]): FrameTray | undefined {
  let best: FrameTray | undefined;
  for (const t of trays) {
    if (!containsPoint(t.box, p)) continue;
    if (
      !best ||
      area(t.box) < area(best.box) ||
      (area(t.box) === area(best.box) && distance(centre(t.box), p) < distance(centre(best.box), p))
    ) {
      best = t;
    }
  }
  return best;
}
