// A dataset with the store's new labels (src/sim/new-labels.ts): the class list grows after the
// base classes, sprite frames hold the new item, its boxes carry the new class index, and the
// pack for train.py carries the names.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../src/sim/dataset.js';
import { classList } from '../../src/sim/new-labels.js';
import { DRAWERS } from '../../src/sim/render/compose.js';
import { CLASSES } from '../../src/sim/render/index.js';
import { drawHotdog, itemSprite } from '../../src/sim/render/items-new.js';
import { rngFor } from '../../src/sim/render/random.js';
import { ROOT, tempDir } from '../helpers/daemon.js';

const dir = tempDir();
const sprites = join(dir, 'sprites');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  mkdirSync(join(sprites, 'hotdog'), { recursive: true });
  for (let i = 0; i < 3; i++)
    writeFileSync(join(sprites, 'hotdog', `${i}.png`), await itemSprite(drawHotdog, rngFor(3, i), 300));
});

describe('a dataset with new labels', () => {
  it('labels pasted hot dogs with the class after the base ones, and pack.mjs carries the names', async () => {
    const out = join(dir, 'ds');
    const summary = await writeDataset({
      outDir: out,
      count: 12,
      seed: 4,
      valFraction: 0.2,
      sprites,
      newLabels: ['hotdog'],
      realShare: 1,
    });
    const names = [...CLASSES, 'hotdog'];
    expect(readFileSync(join(out, 'classes.txt'), 'utf8').trim().split('\n')).toEqual(names);
    expect((JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')) as { names: string[] }).names).toEqual(
      names,
    );
    expect(summary.objects.hotdog).toBeGreaterThan(3);
    const lines = readdirSync(join(out, 'labels', 'train')).flatMap((f) =>
      readFileSync(join(out, 'labels', 'train', f), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean),
    );
    const hotdogs = lines.filter((l) => l.startsWith('10 '));
    expect(hotdogs.length).toBeGreaterThan(0);
    // A hot dog is long: its box is not square (the sprite, not a replaced item's drawing).
    expect(
      hotdogs.some((l) => {
        const [, , , w = 0, h = 0] = l.split(' ').map(Number);
        return Math.max(w, h * 1.78) / Math.min(w, h * 1.78) > 1.8;
      }),
    ).toBe(true);

    const pack = join(dir, 'pack');
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'tools', 'train', 'pack.mjs'), '--data', out, '--out', pack, '--splits', 'train'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(pack, 'train.json'), 'utf8')) as {
      names: string[];
      boxes: number[][][];
    };
    expect(meta.names).toEqual(names);
    expect(meta.boxes.flat().some((b) => b[0] === 10)).toBe(true);
  });

  it('refuses sprites of a label that is neither a class nor a new label, and a new label that is a class', async () => {
    await expect(writeDataset({ outDir: join(dir, 'no'), count: 1, seed: 1, sprites })).rejects.toThrow(
      /"hotdog" is not a model label/,
    );
    expect(() => classList(['burger'])).toThrow(/already a class/);
  });

  it('draws the demo hot dog only where a scenario orders it', () => {
    expect(Object.keys(DRAWERS)).toContain('hotdog');
    expect(CLASSES).not.toContain('hotdog');
  });
});
