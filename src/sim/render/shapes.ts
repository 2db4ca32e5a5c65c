// Geometry shared by the drawers: outlines are polygons in the item's own pixel frame,
// used both for shadows and for the occlusion mask that decides the label boxes.
export type Pt = [number, number];

/** One drawn object in its own coordinates (origin = centre, unrotated, scale 1). */
export interface Drawing {
  defs: string;
  body: string;
  /** Silhouette used for shadow and for the visible-pixel label box. */
  outline: Pt[];
}

export function circlePts(r: number, n = 20, cx = 0, cy = 0): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * Math.PI * 2;
    pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  return pts;
}

export function rectPts(x1: number, y1: number, x2: number, y2: number): Pt[] {
  return [
    [x1, y1],
    [x2, y1],
    [x2, y2],
    [x1, y2],
  ];
}

export interface Placement {
  x: number;
  y: number;
  rotationDeg: number;
  scale: number;
}

export function transformPts(pts: Pt[], p: Placement): Pt[] {
  const a = (p.rotationDeg * Math.PI) / 180;
  const c = Math.cos(a) * p.scale;
  const s = Math.sin(a) * p.scale;
  return pts.map(([x, y]) => [p.x + x * c - y * s, p.y + x * s + y * c]);
}

export function transformAttr(p: Placement): string {
  return `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)}) rotate(${p.rotationDeg.toFixed(1)}) scale(${p.scale.toFixed(3)})`;
}

export function pathOf(pts: Pt[]): string {
  return `M${pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join('L')}Z`;
}

export function polygonArea(pts: Pt[]): number {
  let a = 0;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i] as Pt;
    const q = pts[(i + 1) % pts.length] as Pt;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return Math.abs(a) / 2;
}

/** A closed blob: circle of radius r with each vertex pushed in/out by up to `wobble`. */
export function blobPts(rx: number, ry: number, wobble: number, n: number, rnd: () => number): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * Math.PI * 2;
    const k = 1 + (rnd() * 2 - 1) * wobble;
    pts.push([rx * k * Math.cos(a), ry * k * Math.sin(a)]);
  }
  return pts;
}

/** Smooth closed path through the points (quadratic curves via edge midpoints). */
export function smoothPath(pts: Pt[]): string {
  const n = pts.length;
  const mid = (i: number): Pt => {
    const p = pts[i % n] as Pt;
    const q = pts[(i + 1) % n] as Pt;
    return [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
  };
  const m0 = mid(0);
  let d = `M${m0[0].toFixed(1)},${m0[1].toFixed(1)}`;
  for (let i = 1; i <= n; i++) {
    const p = pts[i % n] as Pt;
    const m = mid(i);
    d += `Q${p[0].toFixed(1)},${p[1].toFixed(1)} ${m[0].toFixed(1)},${m[1].toFixed(1)}`;
  }
  return `${d}Z`;
}
