// Which pixels each labelled object still shows after everything above it is painted:
// the label box is the box of those pixels, and mostly hidden objects are dropped.
import type { Box } from '../../types.js';
import type { Layer } from './compose.js';
import { polygonArea, type Pt } from './shapes.js';

export interface VisibleObject {
  label: string;
  box: Box;
  /** Visible pixels / full silhouette area (off-frame parts count as hidden). */
  visible: number;
}

function fillPolygon(owner: Int16Array, W: number, H: number, poly: Pt[], id: number): void {
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [, y] of poly) {
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const y0 = Math.max(0, Math.ceil(minY - 0.5));
  const y1 = Math.min(H - 1, Math.floor(maxY - 0.5));
  const xs: number[] = [];
  for (let y = y0; y <= y1; y++) {
    const sy = y + 0.5;
    xs.length = 0;
    for (let i = 0; i < poly.length; i++) {
      const [ax, ay] = poly[i] as Pt;
      const [bx, by] = poly[(i + 1) % poly.length] as Pt;
      if ((ay <= sy && by > sy) || (by <= sy && ay > sy)) xs.push(ax + ((sy - ay) / (by - ay)) * (bx - ax));
    }
    xs.sort((a, b) => a - b);
    for (let j = 0; j + 1 < xs.length; j += 2) {
      const xa = Math.max(0, Math.ceil((xs[j] as number) - 0.5));
      const xb = Math.min(W - 1, Math.floor((xs[j + 1] as number) - 0.5));
      if (xb >= xa) owner.fill(id, y * W + xa, y * W + xb + 1);
    }
  }
}

/** Paints each layer's polygon into `owner` with id `firstId + index` (later layers on top). */
export function paintLayers(owner: Int16Array, W: number, H: number, layers: Layer[], firstId = 0): void {
  layers.forEach((l, i) => fillPolygon(owner, W, H, l.poly, firstId + i));
}

/** An object that owns pixels of an owner map: its label (null = occluder only) and full area. */
export interface OwnedObject {
  label: string | null;
  area: number;
}

/** Labels of the objects at least `minVisible` visible in an owner map (ids index `objects`). */
export function visibleFromOwner(
  owner: Int16Array,
  W: number,
  H: number,
  objects: OwnedObject[],
  minVisible: number,
): VisibleObject[] {
  const n = objects.length;
  const count = new Float64Array(n);
  const box = Array.from({ length: n }, () => [Infinity, Infinity, -Infinity, -Infinity]);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const id = owner[y * W + x] as number;
      if (id < 0) continue;
      count[id] = (count[id] as number) + 1;
      const b = box[id] as number[];
      if (x < (b[0] as number)) b[0] = x;
      if (y < (b[1] as number)) b[1] = y;
      if (x > (b[2] as number)) b[2] = x;
      if (y > (b[3] as number)) b[3] = y;
    }
  }
  const out: VisibleObject[] = [];
  objects.forEach((o, i) => {
    if (!o.label) return;
    const visible = o.area > 0 ? (count[i] as number) / o.area : 0;
    const b = box[i] as number[];
    if (visible < minVisible || !Number.isFinite(b[0])) return;
    out.push({
      label: o.label,
      box: [b[0] as number, b[1] as number, (b[2] as number) + 1, (b[3] as number) + 1],
      visible: Math.min(1, visible),
    });
  });
  return out;
}

/** Labels of the objects at least `minVisible` visible, boxes in frame pixels. */
export function visibleObjects(layers: Layer[], W: number, H: number, minVisible = 0.4): VisibleObject[] {
  const owner = new Int16Array(W * H).fill(-1);
  paintLayers(owner, W, H, layers);
  const objects = layers.map((l) => ({ label: l.label, area: polygonArea(l.poly) }));
  return visibleFromOwner(owner, W, H, objects, minVisible);
}
