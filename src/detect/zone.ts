// Check-zone filter for the tray stage: a detection counts when its box centre lies inside the
// zone polygon (points in 0..1 of frame width/height).
import type { Box, Detection } from '../types.js';

export type ZonePoint = readonly [number, number];

/** Even-odd ray casting; points exactly on an edge may fall either way. */
export function pointInPolygon(x: number, y: number, polygon: readonly ZonePoint[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as ZonePoint;
    const [xj, yj] = polygon[j] as ZonePoint;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function boxCentreInZone(
  box: Box,
  zone: readonly ZonePoint[],
  width: number,
  height: number,
): boolean {
  return pointInPolygon((box[0] + box[2]) / 2 / width, (box[1] + box[3]) / 2 / height, zone);
}

export function filterToZone<D extends Detection>(
  detections: readonly D[],
  zone: readonly ZonePoint[],
  width: number,
  height: number,
): D[] {
  return detections.filter((d) => boxCentreInZone(d.box, zone, width, height));
}
