// Photo-realistic rendering for training: the drawn scene is put on a real photograph, its
// objects carry real photo texture and per-instance colour, real cut-outs (objects, food that is
// not on the menu, the store's sprites of menu items) are pasted with contact shadows, some
// frames are real photos with nothing to find, and the camera adds what real ones do (motion
// blur, defocus, white-balance error, low-bitrate blocking, an oblique view, lens distortion:
// lens.ts). Labels keep the visible-box rule:
// an owner map says which object shows at each pixel after everything is pasted.
import sharp from 'sharp';
import { composeScene, type Layer, type SpriteSlot } from './compose.js';
import { paintLayers, visibleFromOwner, type OwnedObject } from './mask.js';
import { barrelView, obliqueView } from './lens.js';
import { cutoutInstance, photoCrop, type PhotoLibrary, type RawImage, type SpriteSet } from './photolib.js';
import { applyLightAndNoise, jpegRoundTrip } from './post.js';
import { chance, int, pick, range, rngFor, type Rng } from './random.js';
import type { Scene } from './scene.js';
import { polygonArea } from './shapes.js';

export type RealKind = 'scene' | 'counter' | 'photo';

export interface RealFrame {
  rgb: Buffer;
  width: number;
  height: number;
  labels: Array<{ label: string; box: [number, number, number, number] }>;
  /** What kind of frame this is and which real images went into it (for the dataset record). */
  kind: RealKind;
  sources: string[];
}

/**
 * Share of photo-realistic frames with nothing to find when not told otherwise: half real photos,
 * half bare counters (`photoNegatives`, `counterNegatives`; `traycheck dataset --negatives`).
 */
export const NEGATIVE_SHARE = 0.16;

export interface RealismOptions {
  lib: PhotoLibrary;
  sprites?: SpriteSet;
  /** Share of items drawn as a sprite when sprites of their label exist (default 0.6). */
  spriteShare?: number;
  /** Share of frames that are a real photo with no label (default NEGATIVE_SHARE / 2). */
  photoNegatives?: number;
  /** Share of frames that are a counter with clutter only (default NEGATIVE_SHARE / 2). */
  counterNegatives?: number;
  /** Share of frames seen by a camera that is not straight overhead (default 0.3). */
  oblique?: number;
  /** Share of frames seen through a wide-angle lens with barrel distortion (default 0: off). */
  lens?: number;
  minVisible: number;
}

interface Canvas {
  rgb: Buffer;
  owner: Int16Array;
  objects: OwnedObject[];
  W: number;
  H: number;
}

async function rasterRgba(svg: string, W: number, H: number): Promise<Buffer> {
  const out = await sharp(Buffer.from(svg), { density: 72 }).ensureAlpha().raw().toBuffer();
  if (out.length !== W * H * 4)
    throw new Error(`renderer produced ${out.length} bytes, expected ${W * H * 4}`);
  return out;
}

/** out = fg over out, by fg's alpha. */
function over(out: Buffer, fg: Buffer): void {
  for (let p = 0, q = 0; p < out.length; p += 3, q += 4) {
    const a = (fg[q + 3] as number) / 255;
    if (a === 0) continue;
    for (let c = 0; c < 3; c++) out[p + c] = (fg[q + c] as number) * a + (out[p + c] as number) * (1 - a);
  }
}

/** Desaturates and dims/brightens a background so it reads as a surface under the scene. */
function tone(rgb: Buffer, rng: Rng): void {
  const sat = range(rng, 0.25, 1);
  const gain = range(rng, 0.55, 1.15);
  for (let p = 0; p < rgb.length; p += 3) {
    const l = 0.299 * (rgb[p] as number) + 0.587 * (rgb[p + 1] as number) + 0.114 * (rgb[p + 2] as number);
    for (let c = 0; c < 3; c++) rgb[p + c] = (l + ((rgb[p + c] as number) - l) * sat) * gain;
  }
}

/**
 * Gives every owned object real photo grain (luma of another photo, per-object strength) and its
 * own hue/saturation shift, so that the model cannot rely on our flat vector colours.
 */
function textureObjects(c: Canvas, texture: Buffer, rng: Rng): void {
  const n = c.objects.length;
  const params = Array.from({ length: n }, () => ({
    s: chance(rng, 0.25) ? 0 : range(rng, 0.1, 0.55),
    sat: range(rng, 0.7, 1.3),
    g: [range(rng, 0.88, 1.12), range(rng, 0.88, 1.12), range(rng, 0.88, 1.12)],
  }));
  for (let i = 0, p = 0; i < c.owner.length; i++, p += 3) {
    const id = c.owner[i] as number;
    if (id < 0) continue;
    const pr = params[id];
    if (!pr) continue;
    const t =
      (0.299 * (texture[p] as number) +
        0.587 * (texture[p + 1] as number) +
        0.114 * (texture[p + 2] as number) -
        128) /
      128;
    const m = 1 + pr.s * t;
    const l =
      0.299 * (c.rgb[p] as number) + 0.587 * (c.rgb[p + 1] as number) + 0.114 * (c.rgb[p + 2] as number);
    for (let ch = 0; ch < 3; ch++) {
      const v = (l + ((c.rgb[p + ch] as number) - l) * pr.sat) * (pr.g[ch] as number) * m;
      c.rgb[p + ch] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
}

interface Paste {
  img: RawImage;
  x: number;
  y: number;
  sizePx: number;
  rotationDeg: number;
  label: string | null;
}

/** Pastes a cut-out centred at (x, y) with a soft contact shadow; owner pixels go to a new object. */
async function paste(
  c: Canvas,
  p: Paste,
  shadow: { dx: number; dy: number; opacity: number },
  rng: Rng,
  own: boolean,
): Promise<void> {
  const inst = await cutoutInstance(p.img, p.sizePx, p.rotationDeg, chance(rng, 0.5));
  const x0 = Math.round(p.x - inst.width / 2);
  const y0 = Math.round(p.y - inst.height / 2);
  const id = c.objects.length;
  const sdx = Math.round(shadow.dx * 1.4);
  const sdy = Math.round(shadow.dy * 1.4);
  const shadowOp = Math.min(0.6, shadow.opacity * 1.6);
  const { W, H } = c;
  // Shadow first (the object covers most of it), then the object.
  for (let y = 0; y < inst.height; y++) {
    const fy = y0 + y + sdy;
    if (fy < 0 || fy >= H) continue;
    for (let x = 0; x < inst.width; x++) {
      const fx = x0 + x + sdx;
      if (fx < 0 || fx >= W) continue;
      const a = (inst.data[(y * inst.width + x) * 4 + 3] as number) / 255;
      if (a === 0) continue;
      const o = (fy * W + fx) * 3;
      for (let ch = 0; ch < 3; ch++) c.rgb[o + ch] = (c.rgb[o + ch] as number) * (1 - shadowOp * a);
    }
  }
  let area = 0;
  const gain = [range(rng, 0.9, 1.1), range(rng, 0.9, 1.1), range(rng, 0.9, 1.1)];
  for (let y = 0; y < inst.height; y++) {
    for (let x = 0; x < inst.width; x++) {
      const q = (y * inst.width + x) * 4;
      const a = (inst.data[q + 3] as number) / 255;
      if (a >= 0.5) area++;
      const fy = y0 + y;
      const fx = x0 + x;
      if (a === 0 || fx < 0 || fx >= W || fy < 0 || fy >= H) continue;
      const o = (fy * W + fx) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const v = (inst.data[q + ch] as number) * (gain[ch] as number);
        c.rgb[o + ch] = Math.min(255, v) * a + (c.rgb[o + ch] as number) * (1 - a);
      }
      if (own && a >= 0.5) c.owner[fy * W + fx] = id;
    }
  }
  if (own) c.objects.push({ label: p.label, area });
}

/** Real objects and food that is not on the menu, dropped on the counter or on a tray. */
function clutterPastes(
  lib: PhotoLibrary,
  rng: Rng,
  n: number,
  where: () => [number, number],
  k: number,
): Paste[] {
  const out: Paste[] = [];
  for (let i = 0; i < n; i++) {
    const food = lib.otherFood.length > 0 && (lib.objects.length === 0 || chance(rng, 0.55));
    const list = food ? lib.otherFood : lib.objects;
    if (list.length === 0) break;
    const [x, y] = where();
    out.push({
      img: pick(rng, list),
      x,
      y,
      sizePx: range(rng, 35, 105) * k,
      rotationDeg: range(rng, 0, 360),
      label: null,
    });
  }
  return out;
}

async function cameraEffects(rgb: Buffer, scene: Scene, rng: Rng): Promise<Buffer> {
  const { width: W, height: H } = scene;
  applyLightAndNoise(rgb, scene);
  let img = sharp(rgb, { raw: { width: W, height: H, channels: 3 } });
  let touched = false;
  if (chance(rng, 0.15)) {
    // Motion blur: a line kernel along a random axis (a tray or an arm moving under a slow shutter).
    const n = int(rng, 2, 4) * 2 + 1;
    const axis = int(rng, 0, 3);
    const kernel = new Array<number>(n * n).fill(0);
    for (let i = 0; i < n; i++) {
      const [r, col] =
        axis === 0 ? [(n - 1) / 2, i] : axis === 1 ? [i, (n - 1) / 2] : axis === 2 ? [i, i] : [i, n - 1 - i];
      kernel[r * n + col] = 1 / n;
    }
    img = img.convolve({ width: n, height: n, kernel });
    touched = true;
  } else if (scene.blur >= 0.3 || chance(rng, 0.2)) {
    img = img.blur(Math.max(0.3, scene.blur || range(rng, 0.4, 1.8))); // defocus
    touched = true;
  }
  let out = touched ? await img.raw().toBuffer() : rgb;
  if (chance(rng, 0.15)) {
    // Low-bitrate stream: downscaled, heavily compressed, upscaled (blocking and smeared detail).
    const f = range(rng, 1.6, 3);
    const w = Math.round(W / f);
    const h = Math.round(H / f);
    const small = await sharp(out, { raw: { width: W, height: H, channels: 3 } })
      .resize(w, h)
      .jpeg({ quality: int(rng, 12, 30) })
      .toBuffer();
    out = await sharp(small).resize(W, H, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  }
  if (scene.jpegQuality !== null) out = await jpegRoundTrip(out, W, H, scene.jpegQuality);
  return out;
}

/** Renders one training frame with real imagery (deterministic for a scene, library and sprites). */
export async function renderPhotoreal(scene: Scene, opts: RealismOptions): Promise<RealFrame> {
  const { width: W, height: H } = scene;
  const { lib } = opts;
  const rng = rngFor(scene.seed, 40);
  const k = (W / 640) * (scene.zoom ?? 1);
  const sources: string[] = [];
  const r = rng();
  const photoNeg = opts.photoNegatives ?? NEGATIVE_SHARE / 2;
  const hasPhotos = lib.photos.length > 0;
  const kind: RealKind =
    r < photoNeg
      ? hasPhotos
        ? 'photo'
        : 'counter'
      : r < photoNeg + (opts.counterNegatives ?? NEGATIVE_SHARE / 2)
        ? 'counter'
        : 'scene';

  if (kind === 'photo') {
    const photo = pick(rng, lib.photos);
    sources.push(photo.source);
    const rgb = await photoCrop(photo, W, H, range(rng, 0.3, 1), rng(), rng());
    const c: Canvas = { rgb, owner: new Int16Array(W * H).fill(-1), objects: [], W, H };
    for (const p of clutterPastes(
      lib,
      rng,
      int(rng, 0, 2),
      () => [range(rng, 0, W), range(rng, 0, H)],
      k * 1.5,
    ))
      await paste(c, p, { dx: 3, dy: 3, opacity: 0.2 }, rng, false);
    return { rgb: await cameraEffects(c.rgb, scene, rng), width: W, height: H, labels: [], kind, sources };
  }

  const s: Scene = structuredClone(scene);
  if (kind === 'counter') {
    s.trays = [];
    s.distractors += int(rng, 1, 4);
  }
  if (opts.sprites) {
    const share = opts.spriteShare ?? 0.6;
    for (const tray of s.trays)
      for (const it of tray.items) {
        const list = opts.sprites.get(it.label);
        if (list?.length && chance(rng, share)) it.sprite = int(rng, 0, list.length - 1);
      }
  }
  const photoCounter = chance(rng, 0.65) && hasPhotos;
  const below = composeScene(s, { omitCounter: photoCounter, part: 'below-hand' });
  const fg = await rasterRgba(below.svg, W, H);
  let rgb: Buffer;
  if (photoCounter) {
    const photo = pick(rng, lib.photos);
    sources.push(photo.source);
    rgb = await photoCrop(photo, W, H, range(rng, 0.12, 0.8), rng(), rng());
    tone(rgb, rng);
  } else {
    rgb = Buffer.alloc(W * H * 3);
  }
  const c: Canvas = { rgb, owner: new Int16Array(W * H).fill(-1), objects: [], W, H };
  // Real things on the counter lie under everything drawn.
  for (const p of clutterPastes(lib, rng, int(rng, 0, 3), () => [range(rng, 0, W), range(rng, 0, H)], k))
    await paste(c, p, below.shadow, rng, false);
  over(c.rgb, fg);
  paintLayers(c.owner, W, H, below.layers);
  c.objects.push(...below.layers.map((l: Layer) => ({ label: l.label, area: polygonArea(l.poly) })));
  if (hasPhotos) {
    const texture = pick(rng, lib.photos);
    textureObjects(c, await photoCrop(texture, W, H, range(rng, 0.05, 0.4), rng(), rng()), rng);
  }

  const slots: SpriteSlot[] = below.spriteSlots;
  for (const slot of slots) {
    const img = opts.sprites?.get(slot.label)?.[slot.sprite];
    if (!img) continue;
    await paste(
      c,
      {
        img,
        x: slot.x,
        y: slot.y,
        sizePx: slot.sizePx * range(rng, 0.85, 1.15),
        rotationDeg: slot.rotationDeg,
        label: slot.label,
      },
      below.shadow,
      rng,
      true,
    );
  }
  // Food that is not on the menu and other real things, on the trays among the items.
  for (const tray of s.trays) {
    if (!chance(rng, 0.4)) continue;
    const where = (): [number, number] => [
      (tray.x + range(rng, -0.12, 0.12)) * W,
      (tray.y + range(rng, -0.14, 0.14)) * H,
    ];
    for (const p of clutterPastes(lib, rng, int(rng, 1, 2), where, k))
      await paste(c, p, below.shadow, rng, true);
  }
  if (s.hand) {
    const hand = composeScene(s, { omitCounter: true, part: 'hand' });
    over(c.rgb, await rasterRgba(hand.svg, W, H));
    paintLayers(c.owner, W, H, hand.layers, c.objects.length);
    c.objects.push(...hand.layers.map((l: Layer) => ({ label: l.label, area: polygonArea(l.poly) })));
  }
  let labels: RealFrame['labels'] = visibleFromOwner(c.owner, W, H, c.objects, opts.minVisible).map(
    ({ label, box }) => ({
      label,
      box,
    }),
  );
  let pixels = c.rgb;
  if (chance(rng, opts.oblique ?? 0.3))
    ({ rgb: pixels, labels } = await obliqueView(pixels, W, H, labels, rng));
  // Its own random stream: frames rendered before lens distortion existed stay the same.
  const lensRng = rngFor(scene.seed, 53);
  if (chance(lensRng, opts.lens ?? 0)) ({ rgb: pixels, labels } = barrelView(pixels, W, H, labels, lensRng));
  return { rgb: await cameraEffects(pixels, s, rng), width: W, height: H, labels, kind, sources };
}
