// The YOLOX-nano backbone re-implemented for training (tools/train/yolox_backbone.py) must be the
// released network, not something like it: its stride-8 feature map on a random image is compared
// with the one onnxruntime computes from the released file itself. Needs the interop file
// (../shared) and PyTorch (python3-torch); skips, saying so, without them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, YOLOX_MODEL, present } from './paths.js';

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

describe.runIf(run)('yolox-nano backbone re-implementation', () => {
  it('gives the released file’s own P3 features on a random image', async () => {
    const name = execFileSync(
      PYTHON,
      [join(ROOT, 'tools/train/check_backbone.py'), '--weights', YOLOX_MODEL, '--out', dir],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 },
    ).trim();
    const session = await ort.InferenceSession.create(join(dir, 'probe.onnx'), { intraOpNumThreads: 1 });
    const out = await session.run({
      images: new ort.Tensor('float32', floats(join(dir, 'input.f32')), [1, 3, 416, 416]),
    });
    const theirs = out[name]!;
    expect(theirs.dims).toEqual([1, 64, 52, 52]);
    const ours = floats(join(dir, 'p3.f32'));
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
});
