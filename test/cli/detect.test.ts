import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { runDetectCommand, type DetectCommandArgs } from '../../src/cli/commands/detect.js';
import { buildOnnx } from '../detect/onnx-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'traycheck-detect-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  args: Partial<DetectCommandArgs>,
): Promise<{ code: number; text: string; errors: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  let errors = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  err.on('data', (c: Buffer) => (errors += c.toString()));
  const code = await runDetectCommand(
    { model: join(dir, 'm.onnx'), images: [], json: false, ...args },
    out,
    err,
  );
  return { code, text, errors };
}

describe('traycheck detect', () => {
  it('refuses bad arguments with exit code 2', async () => {
    expect(await run({ family: 'detr', images: ['x.jpg'] })).toEqual({
      code: 2,
      text: '',
      errors: expect.stringMatching(/--family must be one of auto, traycheck, yolox, yolov8, e2e/) as string,
    });
    expect(await run({ threshold: 1.5, images: ['x.jpg'] })).toEqual({
      code: 2,
      text: '',
      errors: expect.stringMatching(/--threshold must be between 0 and 1/) as string,
    });
    expect((await run({})).code).toBe(2);
  });

  it('reports a model problem with exit code 1 on stderr, leaving --json output empty', async () => {
    for (const json of [false, true]) {
      const r = await run({ model: join(dir, 'missing.onnx'), images: ['x.jpg'], json });
      expect(r.code).toBe(1);
      expect(r.text).toBe('');
      expect(r.errors).toMatch(/error: model .*missing\.onnx: file not found/);
    }
  });

  it('detects on a PNG with a tiny model, scaling boxes to the image', async () => {
    const model = join(dir, 'tiny.onnx');
    const metadata = { names: '["tray"]', family: 'traycheck', imgsz: '[64, 64]' };
    writeFileSync(model, buildOnnx({ outputDims: [1, 1, 5], output: [16, 16, 48, 48, 0.9], metadata }));
    const image = join(dir, 'grey.png');
    await sharp({ create: { width: 256, height: 128, channels: 3, background: '#808080' } })
      .png()
      .toFile(image);
    const r = await run({ model, images: [image], json: true });
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.text) as {
      images: Array<{ width: number; height: number; detections: unknown[] }>;
    };
    // 256x128 → 64x32 content centred at y 16..48; input box [16,16,48,48] → image [64, 0, 192, 128].
    expect(parsed.images[0]).toMatchObject({
      width: 256,
      height: 128,
      detections: [{ label: 'tray', score: 0.9, box: [64, 0, 192, 128] }],
    });
  });
});
