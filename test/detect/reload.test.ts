// Detector.reload: a new model is loaded beside the running one and swapped in between two
// frames while frames keep coming; a model that fails to load, has another input size or is
// refused by the caller's check never replaces the running one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDetector, detectorConfig, ModelError, type Detector } from '../../src/detect/index.js';
import { silentLogger } from '../../src/log.js';
import type { Frame } from '../../src/types.js';
import { buildOnnx, type TinyModel } from './onnx-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'traycheck-reload-'));
const started: Detector[] = [];
afterAll(async () => {
  for (const d of started) await d.stop();
  rmSync(dir, { recursive: true, force: true });
});

const LABELS = ['burger', 'fries', 'drink'];
/** A constant-output model whose one detection says which model answered. */
function model(name: string, label: number, size = 64): string {
  const row = [8, 8, 24, 24, 0, 0, 0];
  row[4 + label] = 0.9;
  const m: TinyModel = {
    outputDims: [1, 1, 7],
    output: row,
    inputDims: [1, 3, size, size],
    metadata: {
      names: JSON.stringify(LABELS),
      imgsz: `[${size}, ${size}]`,
      family: 'traycheck',
      letterbox: 'center',
      normalize: '0..1 rgb',
    },
  };
  const file = join(dir, `${name}.onnx`);
  writeFileSync(file, buildOnnx(m));
  return file;
}

const frame = (seq: number): Frame => ({
  cameraId: 'expo',
  seq,
  ts: seq,
  width: 64,
  height: 64,
  data: Buffer.alloc(64 * 64 * 3, 90),
});

async function startOn(file: string): Promise<Detector> {
  const d = createDetector({ config: detectorConfig({ model: file, threads: 1 }), log: silentLogger() });
  await d.start();
  started.push(d);
  return d;
}

describe('detector model reload', () => {
  it('swaps between frames while frames keep flowing: every frame answered, by the old model then the new', async () => {
    const d = await startOn(model('burger-model', 0));
    const next = model('drink-model', 2);
    const answers: string[] = [];
    let flowing = true;
    let seq = 0;
    const feed = (async () => {
      while (flowing) {
        const out = await d.detect(frame(seq++));
        answers.push(out.detections[0]?.label ?? 'none');
      }
    })();
    while (answers.length < 5) await d.detect(frame(10_000 + answers.length));
    const info = await d.reload(next);
    const swappedAt = answers.length;
    while (answers.length < swappedAt + 5) await new Promise((r) => setImmediate(r));
    flowing = false;
    await feed;
    expect(info.path).toBe(next);
    expect(d.info().sha256).toBe(info.sha256);
    // One switch, no frame lost or failed: burgers, then drinks.
    const firstDrink = answers.indexOf('drink');
    expect(firstDrink).toBeGreaterThan(0);
    expect(answers.slice(0, firstDrink).every((a) => a === 'burger')).toBe(true);
    expect(answers.slice(firstDrink).every((a) => a === 'drink')).toBe(true);
    expect(d.health().state).toBe('ok');
  });

  it('keeps the running model when the new one is broken, has another input size or is refused', async () => {
    const running = model('running', 1);
    const d = await startOn(running);
    const sha = d.info().sha256;
    const garbage = join(dir, 'garbage.onnx');
    writeFileSync(garbage, 'this is not an onnx model');
    const reasons: string[] = [];
    for (const [file, accept] of [
      [garbage, undefined],
      [join(dir, 'missing.onnx'), undefined],
      [model('small', 0, 32), undefined],
      [model('no-hotdog', 0), () => 'menu label hotdog missing'],
    ] as const) {
      const err = await d.reload(file, accept).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelError);
      reasons.push((err as ModelError).problem);
      expect(d.info().sha256).toBe(sha);
      expect((await d.detect(frame(1))).detections[0]?.label).toBe('fries');
    }
    expect(reasons[0]).toMatch(/not a valid ONNX model/);
    expect(reasons[1]).toMatch(/file not found/);
    expect(reasons[2]).toMatch(/input 32x32 differs from the running model's 64x64/);
    expect(reasons[3]).toBe('menu label hotdog missing');
  });
});
