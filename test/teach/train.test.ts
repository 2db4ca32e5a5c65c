// `traycheck train` end to end on a tiny budget (the real renderer, pack.mjs, train.py from the
// shipped checkpoint, export.py): JSON progress, a candidate with its card, resumable after a
// stop, and the exact apt command when PyTorch is missing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectorConfig } from '../../src/detect/index.js';
import { loadModel } from '../../src/detect/model.js';
import { sha256File } from '../../src/teach/registry.js';
import { assertBuilt } from '../helpers/built.js';
import { CLI, ROOT, tempDir, writeConfig } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { cli } from './cli.js';
import { SHIPPED, SHIPPED_LABELS } from './models.js';

const dir = tempDir();
// Model 3.7 trains at 512 x 288: a step of the tiny run costs ~1.7 x what it did at 384 x 224, and
// the first run must reach epoch 2 well within the budget, so that the resumed one has steps left
// to train (on a loaded box a step of it took up to ~20 s).
const BUDGET_MIN = 1.5;
const dataDir = join(dir, 'data');
let config = '';
const runs: string[] = [];

beforeAll(() => {
  assertBuilt(CLI);
  config = writeConfig(dir, {
    store: { id: 'trainer', name: 'Train test' },
    cameras: [{ id: 'counter', source: 'sim:builtin' }],
    detector: { model: SHIPPED },
    storage: { dataDir },
  });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // train.py keeps its runs in the project (tools/train/runs/<name>).
  for (const r of runs) rmSync(join(ROOT, 'tools', 'train', 'runs', r), { recursive: true, force: true });
});

type Event = Record<string, unknown> & { type: string };
const events = (stdout: string): Event[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Event);
const state = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(dataDir, 'teach', 'train', 'state.json'), 'utf8')) as Record<string, unknown>;

describe('traycheck train', () => {
  it('says which apt command installs PyTorch and ONNX when they are missing', async () => {
    const r = await cli(['train', '--config', config], { TRAYCHECK_PYTHON: join(dir, 'no-python3') });
    expect(r.code).toBe(69);
    expect(r.stderr).toContain('sudo apt-get install -y python3-torch python3-onnx python3-numpy');
    expect(existsSync(join(dataDir, 'teach', 'train'))).toBe(false);
  });

  it('stops on a signal, resumes where it stopped, and writes a candidate with its card', async () => {
    const args = [
      'train',
      '--config',
      config,
      '--frames',
      '24',
      '--epochs',
      '40',
      '--minutes',
      String(BUDGET_MIN),
      '--json',
    ];
    // First run: stopped once training is under way.
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // Stopped after two epochs, not at the first progress line: the 3.0 base trains a step in
    // ~0.3 s, so at the first line too little of the budget was spent to tell a resumed budget apart.
    await waitFor(() => events(out).some((e) => e.type === 'progress' && Number(e.epoch) >= 2), {
      timeoutMs: 240_000,
      message: 'training progress past epoch 2',
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    const stopped = state();
    expect(stopped.phase).toBe('train');
    expect(stopped.trainedS).toBeGreaterThan(0);
    runs.push(`teach-trainer-${String(stopped.run)}`);
    expect(
      events(out)
        .map((e) => e.type)
        .slice(0, 3),
    ).toEqual(['phase', 'phase', 'phase']);

    // Second run: same run, training continues with what is left of the budget, then export.
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    const ev = events(r.stdout);
    expect(ev[0]?.type).toBe('warning');
    expect(ev[0]?.message).toMatch(/resuming run-\d+T\d+ at train/);
    expect(
      ev.some((e) => e.type === 'progress' && typeof e.loss === 'number' && typeof e.etaS === 'number'),
    ).toBe(true);
    const done = ev.at(-1) as Event & { candidate: string; card: Record<string, unknown> };
    expect(done.type).toBe('done');
    expect(state()).toMatchObject({ run: stopped.run, phase: 'done' });
    // Training went on with what was left of the budget, not a new one.
    const trainPhase = ev.find((e) => e.type === 'phase' && e.phase === 'train');
    const leftMin = Number(/at most ([\d.]+) min/.exec(String(trainPhase?.detail))?.[1]);
    expect(leftMin).toBeCloseTo(BUDGET_MIN - Number(stopped.trainedS) / 60, 1);
    expect(leftMin).toBeLessThan(BUDGET_MIN);

    const card = JSON.parse(readFileSync(join(done.candidate, '..', 'card.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(card.sha256).toBe(sha256File(done.candidate));
    expect(card.base).toMatchObject({ sha256: sha256File(SHIPPED) });
    expect(card.data).toMatchObject({ renderedFrames: 24, storeFrames: 0 });
    // The candidate is a model the detector can run, with the shipped model's classes.
    const m = await loadModel(detectorConfig({ model: done.candidate, threads: 1 }), done.candidate, {
      warn: () => undefined,
    });
    expect(m.info.labels).toEqual(SHIPPED_LABELS);
    // ... at the running model's input size (promotion refuses another): packed at that size.
    const shipped = await loadModel(detectorConfig({ model: SHIPPED, threads: 1 }), SHIPPED, {
      warn: () => undefined,
    });
    expect(m.info.imgsz).toEqual(shipped.info.imgsz);
    await m.session.release();
    await shipped.session.release();
  }, 600_000);
});
