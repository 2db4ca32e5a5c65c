import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { TEST_SEED_OFFSET, writeDataset, yoloLines } from '../../src/sim/dataset.js';
import { CLASSES, renderScene, type Scene } from '../../src/sim/render/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('dataset writer', () => {
  it('writes train/val images, YOLO labels and scenes that agree with each other', async () => {
    const out = mkdtempSync(join(tmpdir(), 'traycheck-ds-'));
    dirs.push(out);
    const progress: number[] = [];
    const summary = await writeDataset({
      outDir: out,
      count: 6,
      seed: 77,
      valFraction: 0.34,
      onProgress: (d) => progress.push(d),
    });
    expect(summary.splits).toEqual({ train: 4, val: 2 });
    expect(progress.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readFileSync(join(out, 'classes.txt'), 'utf8').trim().split('\n')).toEqual([...CLASSES]);
    const data = JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')) as {
      names: string[];
      splits: Record<string, number>;
    };
    expect(data.names).toEqual([...CLASSES]);
    expect(data.splits).toEqual({ train: 4, val: 2 });
    for (const split of ['train', 'val']) {
      const images = readdirSync(join(out, 'images', split)).sort();
      expect(images.length).toBe(split === 'train' ? 4 : 2);
      for (const img of images) {
        const name = img.replace(/\.jpg$/, '');
        const meta = await sharp(join(out, 'images', split, img)).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 640, 360]);
        const lines = readFileSync(join(out, 'labels', split, `${name}.txt`), 'utf8')
          .split('\n')
          .filter(Boolean);
        for (const line of lines) {
          const [c, ...v] = line.split(' ').map(Number);
          expect(Number.isInteger(c) && (c as number) >= 0 && (c as number) < CLASSES.length).toBe(true);
          for (const x of v) expect(x >= 0 && x <= 1).toBe(true);
        }
        // The stored scene re-renders to the same labels.
        const stored = JSON.parse(readFileSync(join(out, 'scenes', split, `${name}.json`), 'utf8')) as {
          scene: Scene;
        };
        const again = await renderScene(stored.scene);
        expect(yoloLines(again.labels, 640, 360).split('\n').filter(Boolean)).toEqual(lines);
      }
    }
  });

  it('writes the held-out test split from seeds training never uses', async () => {
    const out = mkdtempSync(join(tmpdir(), 'traycheck-ds-'));
    dirs.push(out);
    const summary = await writeDataset({ outDir: out, count: 2, seed: 77, split: 'test' });
    expect(summary.splits).toEqual({ test: 2 });
    expect(existsSync(join(out, 'images', 'train'))).toBe(false);
    const scene = (
      JSON.parse(readFileSync(join(out, 'scenes', 'test', '000001.json'), 'utf8')) as { scene: Scene }
    ).scene;
    expect(scene.seed).toBe(77 + TEST_SEED_OFFSET + 1);
  });
});
