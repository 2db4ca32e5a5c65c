// The photo-realistic renderer on a small library made here (real Debian photos are a training
// input, fetched by tools/train/photolib/fetch.sh; the mechanism is what is tested).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset, type DatasetOptions } from '../../src/sim/dataset.js';
import { CLASSES, MIN_VISIBLE_FRACTION, sceneForTray } from '../../src/sim/render/index.js';
import {
  loadPhotoLibrary,
  loadSprites,
  type PhotoLibrary,
  type SpriteSet,
} from '../../src/sim/render/photolib.js';
import { renderPhotoreal } from '../../src/sim/render/photoreal.js';

let dir: string;
let lib: PhotoLibrary;
let sprites: SpriteSet;

/** A noisy "photo": random blocks of colour, so crops differ. */
async function photo(file: string, seed: number): Promise<void> {
  const w = 320;
  const h = 200;
  const px = Buffer.alloc(w * h * 3);
  let s = seed;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    px[i] = ((i / 3 / w) | 0) % 40 < 20 ? s >>> 24 : 255 - (s >>> 25);
  }
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg()
    .toFile(file);
}

/** A cut-out: an opaque purple disc on a transparent square (a "menu item" nobody drew). */
async function disc(file: string, colour: string): Promise<void> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><circle cx="60" cy="60" r="50" fill="${colour}"/></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tc-photoreal-'));
  mkdirSync(join(dir, 'lib', 'p'), { recursive: true });
  mkdirSync(join(dir, 'sprites', 'burger'), { recursive: true });
  const images = [];
  for (let i = 0; i < 3; i++) {
    await photo(join(dir, 'lib', 'p', `photo${i}.jpg`), i + 1);
    images.push({ file: `p/photo${i}.jpg`, role: 'photo', split: 'train' });
  }
  await disc(join(dir, 'lib', 'p', 'apple.png'), '#3a9a20');
  images.push({ file: 'p/apple.png', role: 'cutout', split: 'train', food: true });
  await photo(join(dir, 'lib', 'p', 'held-out.jpg'), 99);
  images.push({ file: 'p/held-out.jpg', role: 'photo', split: 'test' });
  writeFileSync(join(dir, 'lib', 'index.json'), JSON.stringify({ images }));
  await disc(join(dir, 'sprites', 'burger', 'b1.png'), '#8000ff');
  lib = await loadPhotoLibrary(join(dir, 'lib'));
  sprites = await loadSprites(join(dir, 'sprites'), CLASSES);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('photo-realistic renderer', () => {
  it('loads only the training split, and refuses a sprite folder that is not a model label', async () => {
    expect(lib.photos).toHaveLength(3);
    expect(lib.otherFood).toHaveLength(1);
    mkdirSync(join(dir, 'bad', 'hotdog'), { recursive: true });
    await disc(join(dir, 'bad', 'hotdog', 'h.png'), '#f00');
    await expect(loadSprites(join(dir, 'bad'), CLASSES)).rejects.toThrow(/"hotdog" is not a model label/);
    await expect(loadPhotoLibrary(join(dir, 'nowhere'))).rejects.toThrow(/fetch\.sh/);
  });

  it('pastes sprites as labelled items: a purple burger box where the purple pixels are', async () => {
    // No negatives, every burger a sprite: the frame must show purple discs boxed as burgers.
    const opts = {
      lib,
      sprites,
      spriteShare: 1,
      oblique: 0,
      photoNegatives: 0,
      counterNegatives: 0,
      minVisible: MIN_VISIBLE_FRACTION,
    };
    const scene = { ...sceneForTray({ burger: 2, fries: 1 }, 7, { jpegQuality: null, noise: 0 }), blur: 0 };
    const a = await renderPhotoreal(scene, opts);
    const b = await renderPhotoreal(scene, opts);
    expect(a.kind).toBe('scene');
    expect(a.rgb.equals(b.rgb)).toBe(true); // deterministic
    const burgers = a.labels.filter((l) => l.label === 'burger');
    expect(burgers).toHaveLength(2);
    expect(a.labels.filter((l) => l.label === 'tray')).toHaveLength(1);
    for (const { box } of burgers) {
      // The box centre is purple-ish (red and blue well above green), the sprite's colour.
      const cx = Math.round((box[0] + box[2]) / 2);
      const cy = Math.round((box[1] + box[3]) / 2);
      const o = (cy * a.width + cx) * 3;
      const [r, g, bl] = [a.rgb[o] as number, a.rgb[o + 1] as number, a.rgb[o + 2] as number];
      expect(bl).toBeGreaterThan(g + 60);
      expect(r).toBeGreaterThan(g + 20);
      const side = Math.max(box[2] - box[0], box[3] - box[1]);
      expect(side).toBeGreaterThan(40);
      expect(side).toBeLessThan(140);
    }
  });

  it('an oblique camera moves the boxes with the pixels', async () => {
    const base = {
      lib,
      sprites,
      spriteShare: 1,
      photoNegatives: 0,
      counterNegatives: 0,
      minVisible: MIN_VISIBLE_FRACTION,
    };
    const scene = { ...sceneForTray({ burger: 2 }, 9, { jpegQuality: null, noise: 0 }), blur: 0 };
    const straight = await renderPhotoreal(scene, { ...base, oblique: 0 });
    const tilted = await renderPhotoreal(scene, { ...base, oblique: 1 });
    expect(tilted.rgb.equals(straight.rgb)).toBe(false);
    const burgers = tilted.labels.filter((l) => l.label === 'burger');
    expect(burgers).toHaveLength(2);
    for (const { box } of burgers) {
      const o = (Math.round((box[1] + box[3]) / 2) * tilted.width + Math.round((box[0] + box[2]) / 2)) * 3;
      expect((tilted.rgb[o + 2] as number) - (tilted.rgb[o + 1] as number)).toBeGreaterThan(60);
    }
  });

  it('makes negative frames with no label at all', async () => {
    const opts = { lib, photoNegatives: 1, minVisible: MIN_VISIBLE_FRACTION };
    const f = await renderPhotoreal(sceneForTray({ burger: 1 }, 3), opts);
    expect(f.kind).toBe('photo');
    expect(f.labels).toEqual([]);
    const c = await renderPhotoreal(sceneForTray({ burger: 1 }, 3), {
      ...opts,
      photoNegatives: 0,
      counterNegatives: 1,
    });
    expect(c.kind).toBe('counter');
    expect(c.labels.filter((l) => l.label !== 'hand')).toEqual([]);
  });

  /** A training-split dataset on the small library, in its own folder under `dir`. */
  const dataset = (name: string, o: Omit<DatasetOptions, 'outDir' | 'photos' | 'valFraction'>) =>
    writeDataset({ outDir: join(dir, name), valFraction: 0, photos: join(dir, 'lib'), ...o });

  it('writes a dataset mixing drawn and real frames, and says which', async () => {
    const s = await dataset('ds', { count: 12, seed: 5, sprites: join(dir, 'sprites'), realShare: 0.5 });
    expect(s.splits.train).toBe(12);
    expect((s.kinds.drawn ?? 0) + (s.kinds.scene ?? 0) + (s.kinds.counter ?? 0) + (s.kinds.photo ?? 0)).toBe(
      12,
    );
    expect(s.kinds.drawn).toBeGreaterThan(0);
    expect(12 - (s.kinds.drawn ?? 0)).toBeGreaterThan(0);
  });

  it('writes a dataset of negatives only with negatives 1: no label in any frame', async () => {
    const s = await dataset('neg', { count: 10, seed: 6, realShare: 1, negatives: 1 });
    expect((s.kinds.photo ?? 0) + (s.kinds.counter ?? 0)).toBe(10);
    expect(s.kinds.photo).toBeGreaterThan(0);
    expect(s.kinds.counter).toBeGreaterThan(0);
    for (const [label, n] of Object.entries(s.objects)) if (label !== 'hand') expect(n, label).toBe(0);
    const none = await dataset('neg0', { count: 10, seed: 6, realShare: 1, negatives: 0 });
    expect(none.kinds).toEqual({ scene: 10 });
  });
});
