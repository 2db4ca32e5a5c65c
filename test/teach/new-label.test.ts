// END-TO-END TEST OF A NEW LABEL (the teaching loop, end to end). Needs python3-torch and takes
// about 3 minutes on an idle 2-core box (most of it training), up to 10 on a loaded one. A hot dog is an item the shipped model has never seen
// (random training scenes never hold one; src/sim/render/items-new.ts draws it):
//   cut-outs of hot dogs → `traycheck sprites add --label hotdog --new-label`
//   → `traycheck demo` plays a scenario that orders hot dogs (the HOTDOG line waits, unchecked)
//   → `traycheck train` (200 frames, 6 epochs, one thread because the demo runs)
//   → `traycheck model compare` (hot dog AP on held-out frames with other hot dog cut-outs)
//   → `traycheck model promote` while the simulated camera runs
//   → the daemon checks the HOTDOG line and sees the hot dog, with no camera reconnect.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../src/sim/dataset.js';
import { DRAWERS } from '../../src/sim/render/compose.js';
import { itemSprite } from '../../src/sim/render/items-new.js';
import { rngFor } from '../../src/sim/render/random.js';
import { sha256File } from '../../src/teach/registry.js';
import { assertBuilt } from '../helpers/built.js';
import { CLI, ROOT, runCli, tempDir, writeConfig, type DaemonProc } from '../helpers/daemon.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { cli } from './cli.js';
import { SHIPPED, SHIPPED_LABELS } from './models.js';

const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch, onnx'], { timeout: 60_000 }).status === 0;
if (!torch)
  console.warn(
    'SKIPPED test/teach/new-label.test.ts (new label end to end): /usr/bin/python3 cannot import torch and onnx; install python3-torch python3-onnx (scripts/bootstrap.sh)',
  );

const dir = tempDir();
const dataDir = join(dir, 'data');
const runs: string[] = [];
let config = '';
let demo: DaemonProc | null = null;
let candidate = '';

/** Hot dog cut-outs drawn by the renderer: `count` of them from `seed` (PNG with alpha). */
async function hotdogs(into: string, seed: number, count: number): Promise<string[]> {
  mkdirSync(into, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, 77, i);
    const file = join(into, `hotdog-${i}.png`);
    writeFileSync(file, await itemSprite(DRAWERS.hotdog as never, rng, Math.round(320 + rng() * 160)));
    files.push(file);
  }
  return files;
}

/**
 * One tray, one order with a hot dog and a drink; the demo loops it with a new order number each
 * lap, so orders placed after the promotion are checked by the new model. Seed 7 lays the hot
 * dog out whole on the tray (no other item over it).
 */
function scenario(): string {
  const file = join(dir, 'hotdogs.yaml');
  writeFileSync(
    file,
    stringify({
      name: 'hot dogs',
      seed: 7,
      orders: [
        {
          id: '2001',
          at: 0,
          readyAt: 1,
          items: [
            { sku: 'HOTDOG', qty: 1 },
            { sku: 'DRINK', qty: 1 },
          ],
        },
      ],
      trays: [
        {
          id: 'T0',
          order: '2001',
          enter: 1.5,
          leave: 9.5,
          steps: [{ at: 0, items: { hotdog: 1, drink: 1 } }],
        },
      ],
      truth: {},
    }),
  );
  return file;
}

interface VerdictRow {
  expected: Record<string, number>;
  observed: Record<string, number>;
  unverifiable: string[];
  model: string;
}
function verdicts(): VerdictRow[] {
  const db = new Database(join(dataDir, 'traycheck.db'), { readonly: true });
  try {
    return (
      db
        .prepare('SELECT expected_json, observed_json, unverifiable_json, model_sha256 FROM verdicts')
        .all() as Array<Record<string, string>>
    ).map((r) => ({
      expected: JSON.parse(r.expected_json as string) as Record<string, number>,
      observed: JSON.parse(r.observed_json as string) as Record<string, number>,
      unverifiable: JSON.parse(r.unverifiable_json as string) as string[],
      model: r.model_sha256 as string,
    }));
  } finally {
    db.close();
  }
}
const count = (msg: string): number => demo?.lines.filter((l) => l.msg === msg).length ?? 0;

afterAll(async () => {
  await demo?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  for (const r of runs) rmSync(join(ROOT, 'tools', 'train', 'runs', r), { recursive: true, force: true });
});

describe.skipIf(!torch)(
  'END TO END: a menu item no model knows, taught from photos (needs python3-torch)',
  () => {
    const t0 = Date.now();
    const took = (): string => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

    beforeAll(async () => {
      assertBuilt(CLI);
      const port = await freePort();
      config = writeConfig(dir, {
        store: { id: 'newlabel', name: 'New label test' },
        cameras: [{ id: 'counter', source: 'sim:builtin', fps: 5 }],
        // A newly taught item scores lower than the trained ones at first (0.35-0.8 after this
        // short run): its own threshold, as docs/operations.md "Adding a menu item" advises.
        detector: { model: SHIPPED, threads: 1, classThresholds: { tray: 0.2, hotdog: 0.25 } },
        menu: {
          HOTDOG: { name: 'Hot dog', contains: { hotdog: 1 } },
          DRINK: { name: 'Drink', contains: { drink: 1 } },
          FRIES: { name: 'Fries', contains: { fries: 1 } },
        },
        mqtt: { embedded: { host: '127.0.0.1', port: 0 } },
        dashboard: { bind: '127.0.0.1', port },
        storage: { dataDir },
        logging: { level: 'info', pretty: false },
      });
    });

    it('creates the label from hot dog cut-outs', async () => {
      const photos = await hotdogs(join(dir, 'photos'), 1, 20);
      const r = await cli([
        'sprites',
        'add',
        '--config',
        config,
        '--label',
        'hotdog',
        '--new-label',
        '--json',
        ...photos,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { results: Array<{ status: string }> };
      expect(out.results.filter((x) => x.status === 'stored')).toHaveLength(20);
      expect(JSON.parse(readFileSync(join(dataDir, 'teach', 'labels.json'), 'utf8'))).toEqual({
        labels: ['hotdog'],
      });
    });

    it('keeps the HOTDOG line unchecked while the running model does not know hot dogs', async () => {
      // The store's labelled held-out frames: hot dogs from other cut-outs, never trained on.
      const held = join(dir, 'heldout');
      await hotdogs(join(held, 'sprites', 'hotdog'), 2, 8);
      await writeDataset({
        outDir: join(held, 'set'),
        count: 30,
        seed: 9,
        split: 'test',
        sprites: join(held, 'sprites'),
        newLabels: ['hotdog'],
        realShare: 1,
      });
      const frames = join(dataDir, 'teach', 'frames');
      mkdirSync(join(frames, 'images'), { recursive: true });
      mkdirSync(join(frames, 'labels'), { recursive: true });
      renameSync(join(held, 'set', 'images', 'test'), join(frames, 'images', 'heldout'));
      renameSync(join(held, 'set', 'labels', 'test'), join(frames, 'labels', 'heldout'));
      cpSync(join(held, 'set', 'classes.txt'), join(frames, 'classes.txt'));

      demo = runCli(['demo', '--config', config, '--scenario', scenario(), '--mqtt-port', '0']);
      await demo.waitForLog((l) => l.msg === 'camera online', 60_000, 'demo camera online');
      const waiting = await waitFor(() => verdicts().find((v) => v.unverifiable.includes('HOTDOG')), {
        timeoutMs: 60_000,
        message: 'a verdict listing HOTDOG as unverifiable',
      });
      expect(waiting.expected.hotdog).toBeUndefined();
      expect(waiting.model).toBe(sha256File(SHIPPED));
    }, 120_000);

    it('trains the new class, compares and promotes it while the camera runs; the daemon then sees hot dogs', async () => {
      const trained = await cli([
        'train',
        '--config',
        config,
        // A fixed amount of training (6 epochs of 200 frames, 66 steps) rather than a time budget:
        // the same model on a busy box as on an idle one (about 1.5 min there, 6 on a loaded one).
        '--frames',
        '200',
        '--epochs',
        '6',
        '--minutes',
        '10',
        '--json',
      ]);
      expect(trained.code, trained.stderr).toBe(0);
      const events = trained.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const done = events.at(-1) as { type: string; candidate: string; card: { labels: string[] } };
      expect(done.type).toBe('done');
      expect(done.card.labels.at(-1)).toBe('hotdog');
      expect(done.card.labels).toEqual([...SHIPPED_LABELS, 'hotdog']);
      expect(String(events.find((e) => e.phase === 'train')?.detail)).toMatch(/on 1 thread/);
      candidate = done.candidate;
      runs.push(`teach-newlabel-${candidate.split('/').at(-2)}`);
      const trainedAt = took();

      const compared = await cli([
        'model',
        'compare',
        '--config',
        config,
        '--frames',
        '12',
        '--json',
        candidate,
      ]);
      expect(compared.code, compared.stderr).toBe(0);
      const c = JSON.parse(compared.stdout) as {
        decidedOn: string;
        current: { store: { ap50: Record<string, number>; trayCountAccuracy: number } };
        candidate: { store: { ap50: Record<string, number>; trayCountAccuracy: number } };
      };
      expect(c.decidedOn).toBe('store');
      expect(c.current.store.ap50.hotdog).toBeUndefined();
      console.log(
        `new label: hot dog AP@0.5 ${c.candidate.store.ap50.hotdog} on 30 held-out frames (shipped model: no such class); ` +
          `tray count accuracy ${c.current.store.trayCountAccuracy} -> ${c.candidate.store.trayCountAccuracy}; trained by ${trainedAt}`,
      );
      expect(c.candidate.store.ap50.hotdog).toBeGreaterThan(0.4);
      expect(c.candidate.store.trayCountAccuracy).toBeGreaterThan(c.current.store.trayCountAccuracy);

      const [cameraOnline, mqttConnected] = [count('camera online'), count('connected to MQTT broker')];
      let promoted = await cli(['model', 'promote', '--config', config, '--frames', '12', candidate]);
      if (promoted.code === 1 && /worse than the running model/.test(promoted.stderr)) {
        // The rule compares the classes both models know (its refusal has its own test in
        // promote.test.ts); a 2-minute run may lose a few points there (desserts in sleeves look
        // like hot dogs) while it gains the new class. Say so and promote it anyway, as a store would.
        console.log(`new label: ${promoted.stderr.trim().split('\n').at(-1)}; promoting with --force`);
        promoted = await cli(['model', 'promote', '--config', config, '--force', candidate]);
      }
      expect(promoted.code, promoted.stderr).toBe(0);
      expect(promoted.stdout).toMatch(/switched to it/);
      const sha = sha256File(candidate);
      const seen = await waitFor(
        () => verdicts().find((v) => v.model === sha && v.expected.hotdog === 1 && v.observed.hotdog === 1),
        { timeoutMs: 240_000, message: 'a verdict by the new model that expects and sees the hot dog' },
      );
      expect(seen.unverifiable).not.toContain('HOTDOG');
      expect(count('camera online')).toBe(cameraOnline);
      expect(count('connected to MQTT broker')).toBe(mqttConnected);
      console.log(`new label: end to end in ${took()}`);
    }, 900_000);
  },
);
