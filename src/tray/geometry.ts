// Box and polygon helpers for the tray tracker. Boxes are frame pixels; zone polygons are 0..1.
import type { Box } from '../types.js';

export type Point = [number, number];

export const centre = (b: Box): Point => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

export const area = (b: Box): number => Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);

export const diagonal = (b: Box): number => Math.hypot(b[2] - b[0], b[3] - b[1]);

export function intersection(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Share of `of`'s area that `by` covers (0 for a box with no area). */
export function coveredShare(of: Box, by: Box): number {
  const a = area(of);
  return a > 0 ? intersection(of, by) / a : 0;
}

/** The smallest box holding every one of `boxes` (at least one). */
export function bounds(boxes: readonly Box[]): Box {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

export function iou(a: Box, b: Box): number {
  const inter = intersection(a, b);
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

export const containsPoint = (b: Box, p: Point): boolean =>
  p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];

export const distance = (p: Point, q: Point): number => Math.hypot(p[0] - q[0], p[1] - q[1]);

/** Even-odd ray casting; points on an edge may fall either way (zones are drawn with margin). */
export function pointInPolygon(p: Point, poly: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i];
    const b = poly[j];
    if (!a || !b) continue;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0])
      inside = !inside;
  }
  return inside;
}
