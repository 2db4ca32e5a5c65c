// The cut-out on synthetic menu photos: renderer items on plain and slightly textured
// backdrops with a light falloff, JPEG-compressed, with their true masks.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cutOut, CutoutError, spritePng } from '../../src/teach/cutout.js';
import { iou, menuPhoto, PHOTO_ITEMS } from './photos.js';

const BACKDROPS = [
  { name: 'plain slate', backdrop: [62, 68, 80] as [number, number, number], texture: 0 },
  { name: 'textured slate', backdrop: [62, 68, 80] as [number, number, number], texture: 6 },
  { name: 'textured blue board', backdrop: [40, 90, 160] as [number, number, number], texture: 4 },
];

async function problem(bytes: Buffer): Promise<string> {
  try {
    await cutOut(bytes);
    return 'none';
  } catch (err) {
    if (err instanceof CutoutError) return err.problem;
    throw err;
  }
}

describe('menu photo cut-out', () => {
  for (const b of BACKDROPS)
    it(`finds every menu item on a ${b.name} backdrop with IoU >= 0.9`, async () => {
      const scores: Record<string, number> = {};
      for (const [i, item] of PHOTO_ITEMS.entries()) {
        const photo = await menuPhoto({
          item,
          seed: 11 + i,
          backdrop: b.backdrop,
          texture: b.texture,
          at: [0.4 + 0.05 * (i % 4), 0.45 + 0.04 * (i % 3)],
          scale: 2.5 + 0.25 * (i % 3),
        });
        const cut = await cutOut(photo.jpeg);
        expect(cut.method).toBe('backdrop');
        scores[item] = Math.round(iou(cut.alpha, photo.mask) * 1000) / 1000;
      }
      expect(Object.entries(scores).filter(([, v]) => v < 0.9)).toEqual([]);
    });

  it('uses a PNG cut-out alpha as given', async () => {
    const photo = await menuPhoto({ item: 'fries', seed: 5, backdrop: [62, 68, 80] });
    const cut = await cutOut(photo.sprite);
    expect(cut.method).toBe('alpha');
    expect(iou(cut.alpha, photo.mask)).toBeGreaterThan(0.99);
  });

  it('keeps the photo where the alpha says: the sprite is cropped to the item, transparent around it', async () => {
    const photo = await menuPhoto({ item: 'burger', seed: 2, backdrop: [62, 68, 80] });
    const cut = await cutOut(photo.png);
    const png = await spritePng(photo.png, cut);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(info.width).toBeLessThan(photo.width / 2);
    expect(data[3]).toBe(0); // corner: backdrop
    const centre = ((info.height >> 1) * info.width + (info.width >> 1)) * 4;
    expect(data[centre + 3]).toBeGreaterThan(240);
  });

  it('refuses what is not a usable photo, with the reason', async () => {
    expect(await problem(Buffer.from('GIF89a this is not really an image'))).toBe('not-an-image');
    const small = await menuPhoto({
      item: 'sauce',
      seed: 1,
      width: 200,
      height: 90,
      scale: 1,
      backdrop: [62, 68, 80],
    });
    expect(await problem(small.jpeg)).toBe('too-small');
    const empty = await sharp({
      create: { width: 400, height: 300, channels: 3, background: { r: 62, g: 68, b: 80 } },
    })
      .jpeg()
      .toBuffer();
    expect(await problem(empty)).toBe('no-object');
    const edge = await menuPhoto({ item: 'burger', seed: 3, at: [0.04, 0.5], backdrop: [62, 68, 80] });
    expect(await problem(edge.jpeg)).toBe('touches-border');
    const transparent = await sharp({
      create: { width: 200, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    expect(await problem(transparent)).toBe('no-object');
  });
});
