// What the camera adds after the optics: uneven light and colour temperature, sensor noise,
// and JPEG artefacts. Blur is applied by sharp while rasterising (see index.ts).
import sharp from 'sharp';
import { gauss, range, rngFor } from './random.js';
import type { Scene } from './scene.js';

const NOISE_TABLE_SIZE = 1 << 16;
const noiseTables = new Map<number, Float32Array>();

function noiseTable(seed: number): Float32Array {
  // One table per seed slot, cached: building it per frame would cost more than using it.
  const slot = seed % 8;
  let t = noiseTables.get(slot);
  if (!t) {
    const rng = rngFor(0x5eed, slot);
    t = new Float32Array(NOISE_TABLE_SIZE);
    for (let i = 0; i < t.length; i++) t[i] = gauss(rng);
    noiseTables.set(slot, t);
  }
  return t;
}

/** Applies lighting and sensor noise in place to an rgb24 buffer. */
export function applyLightAndNoise(rgb: Buffer, scene: Scene): void {
  const { width: W, height: H } = scene;
  const noiseSeed = scene.noiseSeed ?? scene.seed;
  const look = rngFor(scene.seed, 16);
  const b = scene.lighting.brightness;
  const w = scene.lighting.warmth;
  const gain = [b * (1 + 0.13 * w), b * (1 + 0.02 * w), b * (1 - 0.17 * w)] as const;
  const gx = range(look, -0.3, 0.3);
  const gy = range(look, -0.3, 0.3);
  const vig = range(look, 0, 0.6);
  const sigma = scene.noise * 9;
  const table = noiseTable(noiseSeed);
  const nrng = rngFor(noiseSeed, 17);
  let ni = Math.floor(nrng() * NOISE_TABLE_SIZE);
  const step = 1 + 2 * Math.floor(nrng() * 1000);
  const mask = NOISE_TABLE_SIZE - 1;
  for (let y = 0; y < H; y++) {
    const fy = y / H - 0.5;
    for (let x = 0; x < W; x++) {
      const fx = x / W - 0.5;
      const light = (1 + gx * fx + gy * fy) * (1 - vig * (fx * fx + fy * fy) * 1.6);
      const o = (y * W + x) * 3;
      // Luma noise shared by the channels plus a smaller chroma part, like a real sensor.
      const luma = (table[ni & mask] as number) * sigma;
      ni += step;
      for (let c = 0; c < 3; c++) {
        const chroma = (table[(ni + c * 7919) & mask] as number) * sigma * 0.35;
        const v = (rgb[o + c] as number) * (gain[c] as number) * light + luma + chroma;
        rgb[o + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
      ni += 3;
    }
  }
}

export async function encodeJpeg(
  rgb: Buffer,
  width: number,
  height: number,
  quality: number,
): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: Math.round(quality) })
    .toBuffer();
}

/** JPEG encode + decode, so the frame carries the artefacts a real stream has. */
export async function jpegRoundTrip(
  rgb: Buffer,
  width: number,
  height: number,
  quality: number,
): Promise<Buffer> {
  const jpg = await encodeJpeg(rgb, width, height, quality);
  return sharp(jpg).removeAlpha().raw().toBuffer();
}
