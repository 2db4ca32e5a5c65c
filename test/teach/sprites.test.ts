// `traycheck sprites add` through the compiled CLI, on a real data folder: stored sprite and
// card, the same photo twice stored once, refusals with reasons and nothing stored, new labels.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../helpers/built.js';
import { CLI, ROOT, tempDir, writeConfig } from '../helpers/daemon.js';
import { cli } from './cli.js';
import { menuPhoto } from './photos.js';

const dir = tempDir();
const dataDir = join(dir, 'data');
let config = '';

beforeAll(async () => {
  assertBuilt(CLI);
  config = writeConfig(dir, {
    store: { id: 'teach', name: 'Teach test' },
    detector: { model: join(ROOT, 'models', 'traycheck-det.onnx') },
    storage: { dataDir },
    cameras: [{ id: 'counter', source: 'sim:builtin' }],
  });
  const slate: [number, number, number] = [62, 68, 80];
  writeFileSync(
    join(dir, 'burger-1.jpg'),
    (await menuPhoto({ item: 'burger', seed: 1, backdrop: slate })).jpeg,
  );
  writeFileSync(
    join(dir, 'burger-2.png'),
    (await menuPhoto({ item: 'burger', seed: 2, backdrop: slate })).sprite,
  );
  writeFileSync(
    join(dir, 'edge.jpg'),
    (await menuPhoto({ item: 'fries', seed: 3, at: [0.5, 0.03], backdrop: slate })).jpeg,
  );
  writeFileSync(join(dir, 'notes.txt'), 'not a photo');
  writeFileSync(
    join(dir, 'tiny.jpg'),
    await sharp({ create: { width: 80, height: 80, channels: 3, background: '#445566' } })
      .jpeg()
      .toBuffer(),
  );
  writeFileSync(join(dir, 'hotdog.jpg'), (await menuPhoto({ item: 'wrap', seed: 9, backdrop: slate })).jpeg);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sprites(
  args: string[],
): Promise<{ code: number | null; json: { results: Array<Record<string, unknown>> } }> {
  const r = await cli(['sprites', 'add', '--config', config, '--json', ...args]);
  if (!r.stdout.startsWith('{')) throw new Error(`no JSON from sprites add: ${r.stderr}`);
  return { code: r.code, json: JSON.parse(r.stdout) as { results: Array<Record<string, unknown>> } };
}

describe('traycheck sprites add', () => {
  it('stores cut-outs with their card, once per photo, and refuses bad photos with a reason', async () => {
    const first = await sprites(['--label', 'burger', join(dir, 'burger-1.jpg'), join(dir, 'burger-2.png')]);
    expect(first.code).toBe(0);
    expect(first.json.results.map((r) => r.status)).toEqual(['stored', 'stored']);
    const folder = join(dataDir, 'teach', 'sprites', 'burger');
    const pngs = readdirSync(folder).filter((f) => f.endsWith('.png'));
    expect(pngs).toHaveLength(2);
    const card = JSON.parse(readFileSync(join(folder, pngs[0]!.replace('.png', '.json')), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(card.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(card.label).toBe('burger');
    const methods = first.json.results.map((r) => (r.card as { method: string }).method).sort();
    expect(methods).toEqual(['alpha', 'backdrop']);

    const again = await sprites(['--label', 'burger', join(dir, 'burger-1.jpg')]);
    expect(again.code).toBe(0);
    expect(again.json.results[0]?.status).toBe('duplicate');
    expect(readdirSync(folder).filter((f) => f.endsWith('.png'))).toHaveLength(2);

    const bad = await sprites([
      '--label',
      'fries',
      join(dir, 'edge.jpg'),
      join(dir, 'notes.txt'),
      join(dir, 'tiny.jpg'),
      join(dir, 'missing.jpg'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.json.results.map((r) => r.problem)).toEqual([
      'touches-border',
      'not-an-image',
      'too-small',
      'not-an-image',
    ]);
    expect(existsSync(join(dataDir, 'teach', 'sprites', 'fries'))).toBe(false);
  });

  it('refuses a label no model knows unless --new-label creates it', async () => {
    const unknown = await sprites(['--label', 'hotdog', join(dir, 'hotdog.jpg')]);
    expect(unknown.code).toBe(1);
    expect(unknown.json.results[0]?.problem).toBe('unknown-label');
    expect(String(unknown.json.results[0]?.reason)).toMatch(/--new-label/);
    expect(existsSync(join(dataDir, 'teach', 'sprites', 'hotdog'))).toBe(false);

    const created = await sprites(['--label', 'hotdog', '--new-label', join(dir, 'hotdog.jpg')]);
    expect(created.code).toBe(0);
    expect(created.json.results[0]?.status).toBe('stored');
    expect(JSON.parse(readFileSync(join(dataDir, 'teach', 'labels.json'), 'utf8'))).toEqual({
      labels: ['hotdog'],
    });
  });
});
