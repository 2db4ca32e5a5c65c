// The YOLOX-nano backbone re-implemented for training (tools/train/yolox_backbone.py) and its COCO
// head (yolox_coco.py, the shipped model's second opinion) must be the released network, not
// something like it: on a random image and on a real photo, the stride-8 feature map and the
// decoded COCO detections are compared with what onnxruntime computes from the released file
// itself. Needs the interop files (../shared) and PyTorch (python3-torch); skips, saying so,
// without them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { PHOTOS, ROOT, YOLOX_MODEL, present } from './paths.js';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.warn('SKIPPED yolox backbone check: /usr/bin/python3 cannot import torch and onnx');
const run = hasTorch && present(YOLOX_MODEL, 'yolox backbone check');
const dir = mkdtempSync(join(tmpdir(), 'yolox-backbone-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const floats = (file: string): Float32Array => {
  const b = readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
};

/** The dog photo stretched to 416 x 416, BGR 0..255 planar, as the released file takes it. */
async function photoInput(): Promise<string> {
  const { data } = await sharp(join(PHOTOS, 'yolox_dog.jpg'))
    .resize(416, 416, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const planar = new Float32Array(3 * 416 * 416);
  for (let i = 0; i < 416 * 416; i++)
    for (let c = 0; c < 3; c++) planar[c * 416 * 416 + i] = data[i * 3 + (2 - c)]!;
  const file = join(dir, 'photo.f32');
  writeFileSync(file, planar);
  return file;
}

/** Runs check_backbone.py and the released file on the same input. */
async function compare(input: string | null) {
  const name = execFileSync(
    PYTHON,
    [
      join(ROOT, 'tools/train/check_backbone.py'),
      '--weights',
      YOLOX_MODEL,
      '--out',
      dir,
      ...(input ? ['--input', input] : []),
    ],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 },
  ).trim();
  const session = await ort.InferenceSession.create(join(dir, 'probe.onnx'), { intraOpNumThreads: 1 });
  const out = await session.run({
    images: new ort.Tensor('float32', floats(join(dir, 'input.f32')), [1, 3, 416, 416]),
  });
  return {
    p3: out[name]!,
    output: out.output!,
    ours: floats(join(dir, 'p3.f32')),
    coco: floats(join(dir, 'coco.f32')),
  };
}

/** Largest difference between our decoded COCO rows and the file's raw rows decoded here. */
function cocoDiff(raw: Float32Array, ours: Float32Array) {
  let box = 0;
  let score = 0;
  let best = 0;
  let row = 0;
  for (const s of [8, 16, 32]) {
    const g = 416 / s;
    for (let y = 0; y < g; y++)
      for (let x = 0; x < g; x++, row++) {
        const r = row * 85;
        const q = row * 84;
        const cx = (raw[r]! + x) * s;
        const cy = (raw[r + 1]! + y) * s;
        const w = Math.exp(raw[r + 2]!) * s;
        const h = Math.exp(raw[r + 3]!) * s;
        const b = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
        for (let k = 0; k < 4; k++) box = Math.max(box, Math.abs(b[k]! - ours[q + k]!));
        for (let c = 0; c < 80; c++) {
          const sc = raw[r + 4]! * raw[r + 5 + c]!;
          best = Math.max(best, sc);
          score = Math.max(score, Math.abs(sc - ours[q + 4 + c]!));
        }
      }
  }
  return { rows: row, box, score, best };
}

describe.runIf(run)('yolox-nano backbone re-implementation', () => {
  it('gives the released file’s own P3 features on a random image', async () => {
    const { p3: theirs, ours } = await compare(null);
    expect(theirs.dims).toEqual([1, 64, 52, 52]);
    const data = theirs.data as Float32Array;
    expect(ours.length).toBe(data.length);
    let maxDiff = 0;
    let mean = 0;
    for (let i = 0; i < ours.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - data[i]!));
      mean += Math.abs(data[i]!);
    }
    expect(mean / ours.length).toBeGreaterThan(0.05); // a live feature map, not zeros
    expect(maxDiff).toBeLessThan(1e-3);
  }, 180_000);

  it('gives the released file’s own COCO detections on a real photo (the second opinion)', async () => {
    const { output, coco } = await compare(await photoInput());
    expect(output.dims).toEqual([1, 3549, 85]);
    expect(coco.length).toBe(3549 * 84);
    const d = cocoDiff(output.data as Float32Array, coco);
    expect(d.rows).toBe(3549);
    expect(d.best).toBeGreaterThan(0.5); // the dog, the bicycle: confident real detections
    expect(d.score).toBeLessThan(1e-3);
    expect(d.box).toBeLessThan(0.05); // input pixels
  }, 180_000);
});
