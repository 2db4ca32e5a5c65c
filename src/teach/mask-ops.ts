// Binary-mask morphology on Uint8Array masks (1 = object), row-major, for the cut-out.

/** Square dilation (max) or erosion (min) of radius r, as two separable 1-D passes. */
function morph(mask: Uint8Array, w: number, h: number, r: number, dilate: boolean): Uint8Array {
  if (r <= 0) return mask.slice();
  const tmp = new Uint8Array(mask.length);
  const out = new Uint8Array(mask.length);
  const hit = dilate ? 1 : 0;
  // Pixels outside the image count as background for dilation and as object for erosion, so an
  // object at the edge is not eaten from outside.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let v = 1 - hit;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++)
        if (mask[row + k] === hit) {
          v = hit;
          break;
        }
      tmp[row + x] = v;
    }
  }
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      let v = 1 - hit;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++)
        if (tmp[k * w + x] === hit) {
          v = hit;
          break;
        }
      out[y * w + x] = v;
    }
  }
  return out;
}

export const dilate = (m: Uint8Array, w: number, h: number, r: number): Uint8Array => morph(m, w, h, r, true);
export const erode = (m: Uint8Array, w: number, h: number, r: number): Uint8Array => morph(m, w, h, r, false);
/** Opening removes specks of noise; closing joins an object cut by a thin stripe of backdrop colour. */
export const open = (m: Uint8Array, w: number, h: number, r: number): Uint8Array =>
  dilate(erode(m, w, h, r), w, h, r);
export const close = (m: Uint8Array, w: number, h: number, r: number): Uint8Array =>
  erode(dilate(m, w, h, r), w, h, r);

/** Flood fill (4-connected) from `seeds` over pixels where mask === value; returns the reached set. */
function flood(mask: Uint8Array, w: number, h: number, value: number, seeds: number[]): Uint8Array {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  let top = 0;
  for (const s of seeds)
    if (mask[s] === value && !seen[s]) {
      seen[s] = 1;
      stack[top++] = s;
    }
  while (top > 0) {
    const p = stack[--top] as number;
    const x = p % w;
    const next = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w];
    for (const q of next)
      if (q >= 0 && q < mask.length && !seen[q] && mask[q] === value) {
        seen[q] = 1;
        stack[top++] = q;
      }
  }
  return seen;
}

/** The largest 4-connected component of the mask, and its pixel count (one labelling pass). */
export function largestComponent(mask: Uint8Array, w: number): { mask: Uint8Array; area: number } {
  const label = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let next = 0;
  let bestLabel = 0;
  let bestArea = 0;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p] || label[p]) continue;
    const id = ++next;
    let area = 0;
    let top = 0;
    label[p] = id;
    stack[top++] = p;
    while (top > 0) {
      const q = stack[--top] as number;
      area++;
      const x = q % w;
      const push = (r: number): void => {
        if (mask[r] && !label[r]) {
          label[r] = id;
          stack[top++] = r;
        }
      };
      if (x > 0) push(q - 1);
      if (x < w - 1) push(q + 1);
      if (q >= w) push(q - w);
      if (q + w < mask.length) push(q + w);
    }
    if (area > bestArea) {
      bestArea = area;
      bestLabel = id;
    }
  }
  const out = new Uint8Array(mask.length);
  if (bestLabel) for (let i = 0; i < mask.length; i++) out[i] = label[i] === bestLabel ? 1 : 0;
  return { mask: out, area: bestArea };
}

/** Background pixels not reachable from the image border become object (holes in a bun, a cup lid). */
export function fillHoles(mask: Uint8Array, w: number, h: number): Uint8Array {
  const seeds: number[] = [];
  for (let x = 0; x < w; x++) seeds.push(x, (h - 1) * w + x);
  for (let y = 0; y < h; y++) seeds.push(y * w, y * w + w - 1);
  const outside = flood(mask, w, h, 0, seeds);
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = outside[i] ? 0 : 1;
  return out;
}

/** Pixels of the mask within `margin` px of the image edge. */
export function edgePixels(mask: Uint8Array, w: number, h: number, margin: number): number {
  let n = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (mask[y * w + x] && (x < margin || y < margin || x >= w - margin || y >= h - margin)) n++;
  return n;
}

export function boundingBox(
  mask: Uint8Array,
  w: number,
  h: number,
): { x: number; y: number; width: number; height: number } | null {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (mask[y * w + x]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}
