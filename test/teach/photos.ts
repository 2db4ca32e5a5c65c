// Synthetic menu photos for the cut-out tests: one item drawn by the tray renderer
// (src/sim/render/), large, on a plain or slightly textured backdrop with a light falloff, and
// the item's true mask (its own alpha, rendered alone).
import sharp from 'sharp';
import { DRAWERS as DRAW } from '../../src/sim/render/compose.js';
import { rngFor } from '../../src/sim/render/random.js';

export const PHOTO_ITEMS = Object.keys(DRAW);

export interface PhotoSpec {
  item: string;
  seed: number;
  width?: number;
  height?: number;
  /** Item centre in 0..1 of the photo. */
  at?: [number, number];
  /** Pixels per renderer unit (the renderer draws at ~1 unit per 1.4 mm). */
  scale?: number;
  backdrop: [number, number, number];
  /** 0 = plain; otherwise the amplitude (in 8-bit levels) of grain and a faint weave. */
  texture?: number;
}

export interface Photo {
  jpeg: Buffer;
  png: Buffer;
  /** Cut-out PNG with the true alpha (as a technician would supply). */
  sprite: Buffer;
  width: number;
  height: number;
  /** 1 where the item is, one byte per pixel. */
  mask: Uint8Array;
}

export async function menuPhoto(spec: PhotoSpec): Promise<Photo> {
  const W = spec.width ?? 800;
  const H = spec.height ?? 600;
  const [cx, cy] = spec.at ?? [0.5, 0.5];
  const s = spec.scale ?? 3;
  const d = (DRAW[spec.item] as (typeof DRAW)[string])(rngFor(spec.seed, 1), 'p');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs>${d.defs}</defs>` +
    `<g transform="translate(${cx * W} ${cy * H}) scale(${s}) rotate(${(spec.seed * 37) % 360})">${d.body}</g></svg>`;
  const item = await sharp(Buffer.from(svg), { density: 72 }).ensureAlpha().raw().toBuffer();
  const rng = rngFor(spec.seed, 2);
  const bg = Buffer.alloc(W * H * 3);
  const amp = spec.texture ?? 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      // Light falls off towards one corner, as under a kitchen lamp.
      const light = 1 - 0.12 * ((x / W + y / H) / 2);
      const weave = amp ? amp * 0.5 * Math.sin(x * 0.9) * Math.sin(y * 0.7) : 0;
      const grain = amp ? (rng() - 0.5) * 2 * amp : 0;
      for (let c = 0; c < 3; c++) {
        const v = (spec.backdrop[c] as number) * light + weave + grain;
        bg[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  const mask = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const a = (item[i * 4 + 3] as number) / 255;
    mask[i] = a >= 0.5 ? 1 : 0;
    for (let c = 0; c < 3; c++) {
      const o = i * 3 + c;
      bg[o] = Math.round((item[i * 4 + c] as number) * a + (bg[o] as number) * (1 - a));
    }
  }
  const raw = { raw: { width: W, height: H, channels: 3 as const } };
  return {
    jpeg: await sharp(bg, raw).jpeg({ quality: 90 }).toBuffer(),
    png: await sharp(bg, raw).png().toBuffer(),
    sprite: await sharp(item, { raw: { width: W, height: H, channels: 4 } })
      .png()
      .toBuffer(),
    width: W,
    height: H,
    mask,
  };
}

export function iou(alpha: Buffer, mask: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < mask.length; i++) {
    const a = (alpha[i] as number) >= 128;
    const b = mask[i] === 1;
    if (a && b) inter++;
    if (a || b) union++;
  }
  return union ? inter / union : 0;
}
