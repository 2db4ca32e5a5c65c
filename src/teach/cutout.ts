// Menu photo → cut-out: an item photographed from above on a plain backdrop becomes an RGBA
// sprite. The backdrop is estimated from the photo's border (a plane in Lab per channel, so a
// light falloff across a phone photo is part of the backdrop), pixels far from it in Lab are
// object, morphology removes specks and joins parts, the largest component with its holes
// filled is the item, and its edge is feathered. A PNG with real transparency is used as given.
import sharp, { type Sharp } from 'sharp';
import { toLab } from './lab.js';
import { boundingBox, close, edgePixels, fillHoles, largestComponent, open } from './mask-ops.js';

export const MIN_SHORT_SIDE_PX = 96;
/** Segmentation runs at this long side; the mask is scaled back up and feathered at full size. */
const WORK_LONG_SIDE_PX = 512;
/** Lab distance below which a pixel is backdrop whatever the border's spread (ΔE ~10 is clearly visible). */
const MIN_THRESHOLD = 12;
/** An object smaller than this share of the photo is specks, not an item. */
const MIN_OBJECT_SHARE = 0.01;
const MAX_OBJECT_SHARE = 0.9;

export type CutoutProblem = 'not-an-image' | 'too-small' | 'no-object' | 'touches-border';

export class CutoutError extends Error {
  constructor(
    readonly problem: CutoutProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface Cutout {
  /** 'alpha': the PNG's own transparency; 'backdrop': segmented against the estimated backdrop. */
  method: 'alpha' | 'backdrop';
  width: number;
  height: number;
  /** Full-size alpha (0..255), one byte per pixel of the (EXIF-rotated) photo. */
  alpha: Buffer;
  /** The object's box in photo pixels (alpha ≥ 128). */
  box: { x: number; y: number; width: number; height: number };
  /** The backdrop threshold used (ΔE), for the report. */
  thresholdDeltaE: number | null;
}

/** Least-squares plane v = a + b·x + c·y through the border samples of one Lab channel. */
function fitPlane(xs: number[], ys: number[], vs: number[]): [number, number, number] {
  // Normal equations M·[a b c] = r with M = Σ[1 x y]ᵀ[1 x y], r = Σ v·[1 x y].
  const m = [0, 0, 0, 0, 0, 0];
  const r = [0, 0, 0];
  for (let i = 0; i < vs.length; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    const v = vs[i] as number;
    const row = [1, x, y, x * x, x * y, y * y];
    for (let k = 0; k < 6; k++) m[k] = (m[k] as number) + (row[k] as number);
    r[0] = (r[0] as number) + v;
    r[1] = (r[1] as number) + v * x;
    r[2] = (r[2] as number) + v * y;
  }
  const [n, sx, sy, sxx, sxy, syy] = m as [number, number, number, number, number, number];
  const [sv, sxv, syv] = r as [number, number, number];
  const det3 = (a: number[], b: number[], c: number[]): number =>
    (a[0] as number) * ((b[1] as number) * (c[2] as number) - (b[2] as number) * (c[1] as number)) -
    (b[0] as number) * ((a[1] as number) * (c[2] as number) - (a[2] as number) * (c[1] as number)) +
    (c[0] as number) * ((a[1] as number) * (b[2] as number) - (a[2] as number) * (b[1] as number));
  // Columns of M, and Cramer's rule.
  const c0 = [n, sx, sy];
  const c1 = [sx, sxx, sxy];
  const c2 = [sy, sxy, syy];
  const rhs = [sv, sxv, syv];
  const det = det3(c0, c1, c2);
  if (Math.abs(det) < 1e-9) return [sv / Math.max(1, n), 0, 0];
  return [det3(rhs, c1, c2) / det, det3(c0, rhs, c2) / det, det3(c0, c1, rhs) / det];
}

function quantile(values: Float32Array | number[], q: number): number {
  const s = Float32Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

/** Object mask at working size: distance from the border's backdrop plane above a threshold. */
export function segmentAgainstBackdrop(
  rgb: Uint8Array,
  w: number,
  h: number,
  channels: number,
): { mask: Uint8Array; thresholdDeltaE: number } {
  const lab = toLab(rgb, w, h, channels);
  const band = Math.max(2, Math.round(0.03 * Math.min(w, h)));
  const border: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (x < band || y < band || x >= w - band || y >= h - band) border.push(y * w + x);
  let planes: Array<[number, number, number]> = [];
  let keep = border;
  const dist = (p: number): number => {
    const x = (p % w) / w;
    const y = Math.floor(p / w) / h;
    let d2 = 0;
    for (let c = 0; c < 3; c++) {
      const [a, b, k] = planes[c] as [number, number, number];
      const d = (lab[p * 3 + c] as number) - (a + b * x + k * y);
      d2 += d * d;
    }
    return Math.sqrt(d2);
  };
  let threshold = MIN_THRESHOLD;
  // Fit, drop the border samples that are not backdrop (an item's shadow, a stray crumb), refit.
  for (let pass = 0; pass < 2; pass++) {
    const xs = keep.map((p) => (p % w) / w);
    const ys = keep.map((p) => Math.floor(p / w) / h);
    planes = [0, 1, 2].map((c) =>
      fitPlane(
        xs,
        ys,
        keep.map((p) => lab[p * 3 + c] as number),
      ),
    );
    const d = keep.map(dist);
    threshold = Math.max(MIN_THRESHOLD, 2.5 * quantile(d, 0.9));
    keep = keep.filter((_, i) => (d[i] as number) <= threshold);
    if (keep.length < 16) break;
  }
  const mask = new Uint8Array(w * h);
  for (let p = 0; p < w * h; p++) mask[p] = dist(p) > threshold ? 1 : 0;
  return { mask, thresholdDeltaE: threshold };
}

/** Cleans a raw object mask into one solid item: open, close, largest component, holes filled. */
export function cleanMask(raw: Uint8Array, w: number, h: number): { mask: Uint8Array; area: number } {
  const r = Math.max(1, Math.round(Math.min(w, h) / 200));
  const joined = close(open(raw, w, h, r), w, h, 2 * r);
  const { mask } = largestComponent(joined, w);
  const filled = fillHoles(mask, w, h);
  let area = 0;
  for (const v of filled) area += v;
  return { mask: filled, area };
}

async function decode(
  bytes: Buffer,
): Promise<{ img: Sharp; width: number; height: number; hasAlpha: boolean }> {
  try {
    const img = sharp(bytes, { failOn: 'error' }).rotate();
    const meta = await img.metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    const swap = (meta.orientation ?? 1) >= 5;
    return {
      img,
      width: swap ? meta.height : meta.width,
      height: swap ? meta.width : meta.height,
      hasAlpha: Boolean(meta.hasAlpha),
    };
  } catch {
    throw new CutoutError('not-an-image', 'not an image sharp can read (JPEG, PNG, WebP, TIFF, GIF)');
  }
}

function alphaBox(alpha: Buffer, w: number, h: number): Cutout['box'] | null {
  const m = new Uint8Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) m[i] = (alpha[i] as number) >= 128 ? 1 : 0;
  return boundingBox(m, w, h);
}

export async function cutOut(bytes: Buffer): Promise<Cutout> {
  const { img, width, height, hasAlpha } = await decode(bytes);
  if (Math.min(width, height) < MIN_SHORT_SIDE_PX)
    throw new CutoutError(
      'too-small',
      `too small: ${width}x${height} px, the short side must be at least ${MIN_SHORT_SIDE_PX} px`,
    );
  if (hasAlpha) {
    const alpha = await img.clone().ensureAlpha().extractChannel(3).raw().toBuffer();
    let transparent = 0;
    for (const a of alpha) if (a < 250) transparent++;
    // A PNG whose alpha is all opaque is a photo like any other.
    if (transparent > alpha.length * 0.01) {
      const box = alphaBox(alpha, width, height);
      if (!box || box.width * box.height < MIN_OBJECT_SHARE * width * height)
        throw new CutoutError('no-object', 'no object found: the transparent PNG is (almost) empty');
      return { method: 'alpha', width, height, alpha, box, thresholdDeltaE: null };
    }
  }
  const scale = Math.min(1, WORK_LONG_SIDE_PX / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const small = await img.clone().removeAlpha().resize(w, h, { fit: 'fill' }).raw().toBuffer();
  const { mask: raw, thresholdDeltaE } = segmentAgainstBackdrop(small, w, h, 3);
  const { mask, area } = cleanMask(raw, w, h);
  if (area < MIN_OBJECT_SHARE * w * h)
    throw new CutoutError(
      'no-object',
      'no object found: nothing differs enough from the backdrop (photograph the item on a plain backdrop of another colour)',
    );
  if (area > MAX_OBJECT_SHARE * w * h)
    throw new CutoutError(
      'no-object',
      'no object found: the backdrop is not plain enough to tell the item from it',
    );
  if (edgePixels(mask, w, h, 1) > 0)
    throw new CutoutError(
      'touches-border',
      'the object touches the photo border: leave some backdrop all around the item',
    );
  // Scale the mask up and feather it: a blur of ~1 working pixel gives a soft edge whose 50 % line
  // stays where the hard edge was.
  const mask8 = Buffer.alloc(w * h);
  for (let i = 0; i < mask.length; i++) mask8[i] = mask[i] ? 255 : 0;
  const sigma = Math.max(0.6, 0.8 / scale);
  const alpha = await sharp(mask8, { raw: { width: w, height: h, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .blur(sigma)
    .extractChannel(0)
    .raw()
    .toBuffer();
  const box = alphaBox(alpha, width, height);
  if (!box) throw new CutoutError('no-object', 'no object found');
  return { method: 'backdrop', width, height, alpha, box, thresholdDeltaE };
}

/** The sprite: the photo's pixels with the cut-out's alpha, cropped to the object plus a margin. */
export async function spritePng(bytes: Buffer, cut: Cutout): Promise<Buffer> {
  const pad = Math.round(0.02 * Math.max(cut.box.width, cut.box.height)) + 2;
  const left = Math.max(0, cut.box.x - pad);
  const top = Math.max(0, cut.box.y - pad);
  const right = Math.min(cut.width, cut.box.x + cut.box.width + pad);
  const bottom = Math.min(cut.height, cut.box.y + cut.box.height + pad);
  const rgb = await sharp(bytes).rotate().removeAlpha().raw().toBuffer();
  const n = cut.width * cut.height;
  const rgba = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    rgba[i * 4] = rgb[i * 3] as number;
    rgba[i * 4 + 1] = rgb[i * 3 + 1] as number;
    rgba[i * 4 + 2] = rgb[i * 3 + 2] as number;
    rgba[i * 4 + 3] = cut.alpha[i] as number;
  }
  return sharp(rgba, { raw: { width: cut.width, height: cut.height, channels: 4 } })
    .extract({ left, top, width: right - left, height: bottom - top })
    .png()
    .toBuffer();
}
