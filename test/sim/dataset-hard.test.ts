import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { runCli } from '../helpers/daemon.js';
import { writeDataset } from '../../src/sim/dataset.js';
import { HARD_BRIGHTNESS } from '../../src/sim/hard.js';
import type { Scene } from '../../src/sim/render/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Rendered {
  scenes: Scene[];
  labelled: number;
  meanLuma: number;
}

/** Renders a small train split and reads back what was written: scenes, label count, mean pixel. */
async function render(difficulty: 'normal' | 'hard'): Promise<Rendered> {
  const out = mkdtempSync(join(tmpdir(), `traycheck-ds-${difficulty}-`));
  dirs.push(out);
  const count = 12;
  await writeDataset({ outDir: out, count, seed: 500_001, valFraction: 0, difficulty });
  const names = readdirSync(join(out, 'images', 'train')).map((f) => f.replace(/\.jpg$/, ''));
  expect(names.length).toBe(count);
  const scenes: Scene[] = [];
  let labelled = 0;
  let luma = 0;
  for (const name of names) {
    const stored = JSON.parse(readFileSync(join(out, 'scenes', 'train', `${name}.json`), 'utf8')) as {
      scene: Scene;
    };
    scenes.push(stored.scene);
    labelled += readFileSync(join(out, 'labels', 'train', `${name}.txt`), 'utf8')
      .split('\n')
      .filter(Boolean).length;
    const { channels } = await sharp(join(out, 'images', 'train', `${name}.jpg`)).stats();
    luma += channels.slice(0, 3).reduce((a, c) => a + c.mean, 0) / 3;
  }
  return { scenes, labelled, meanLuma: luma / names.length };
}

describe('dataset --difficulty hard', () => {
  it('renders crowded, cluttered, darker counters than the normal set from the same seed', async () => {
    const [normal, hard] = [await render('normal'), await render('hard')];
    const items = (r: Rendered): number =>
      r.scenes.reduce((a, s) => a + s.trays.reduce((b, t) => b + t.items.length, 0), 0);
    const maxOnTray = (r: Rendered): number =>
      Math.max(...r.scenes.flatMap((s) => s.trays.map((t) => t.items.length)));
    expect(items(hard)).toBeGreaterThan(items(normal) * 1.3);
    expect(maxOnTray(hard)).toBeGreaterThan(7); // more than a normal scene ever holds
    expect(maxOnTray(hard)).toBeLessThanOrEqual(10);
    expect(hard.labelled).toBeGreaterThan(normal.labelled);
    for (const s of hard.scenes) {
      expect(Math.abs(s.lighting.brightness - HARD_BRIGHTNESS)).toBeLessThanOrEqual(0.12);
      expect(s.distractors).toBe(8);
    }
    // Dim light shows in the pixels, not only in the scene description.
    expect(hard.meanLuma).toBeLessThan(normal.meanLuma - 10);
  });
});

describe('traycheck dataset --difficulty', () => {
  it('writes the hard set from the command line and refuses an unknown difficulty', async () => {
    const out = mkdtempSync(join(tmpdir(), 'traycheck-ds-cli-'));
    dirs.push(out);
    const ok = runCli(['dataset', '--out', out, '--count', '2', '--seed', '500001', '--difficulty', 'hard']);
    expect((await ok.exited).code).toBe(0);
    const data = JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')) as { difficulty: string };
    expect(data.difficulty).toBe('hard');
    const bad = runCli(['dataset', '--out', out, '--count', '1', '--difficulty', 'extreme']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr.join('')).toContain('--difficulty must be normal or hard');
  });
});
