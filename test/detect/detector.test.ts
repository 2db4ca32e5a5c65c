import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DetectorConfig } from '../../src/config/schema.js';
import { createDetector, detectorConfig, ModelError, type Detector } from '../../src/detect/index.js';
import { silentLogger } from '../../src/log.js';
import type { Frame } from '../../src/types.js';
import { waitFor } from '../helpers/wait.js';
import { buildOnnx, type TinyModel } from './onnx-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'traycheck-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function modelFile(m: TinyModel | Uint8Array): string {
  const file = join(dir, `m${n++}.onnx`);
  writeFileSync(file, m instanceof Uint8Array ? m : buildOnnx(m));
  return file;
}

const started: Detector[] = [];
afterAll(async () => {
  for (const d of started) await d.stop();
});

async function start(config: Partial<DetectorConfig> & { model: string }): Promise<Detector> {
  const d = createDetector({ config: detectorConfig({ threads: 1, ...config }), log: silentLogger() });
  await d.start();
  started.push(d);
  return d;
}

async function startError(config: Partial<DetectorConfig> & { model: string }): Promise<ModelError> {
  const d = createDetector({ config: detectorConfig({ threads: 1, ...config }), log: silentLogger() });
  const err = await d.start().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelError);
  expect(d.health().state).toBe('down');
  return err as ModelError;
}

const frame = (width: number, height: number, seq = 0): Frame => ({
  cameraId: 'expo',
  seq,
  ts: 1_700_000_000_000 + seq,
  width,
  height,
  data: Buffer.alloc(width * height * 3, 90),
});

const LABELS = ['burger', 'fries', 'drink'];
// Two rows of [x1, y1, x2, y2, burger, fries, drink] in 64x64 input pixels.
const ours: TinyModel = {
  outputDims: [1, 2, 7],
  output: [...[8, 8, 24, 24, 0.9, 0, 0], ...[-8, 40, 16, 72, 0, 0.6, 0.1]],
  metadata: {
    names: JSON.stringify(LABELS),
    imgsz: '[64, 64]',
    stride: '32',
    task: 'detect',
    family: 'traycheck',
    version: '0.1.0',
    letterbox: 'center',
    normalize: '0..1 rgb',
  },
};

describe('createDetector', () => {
  it('is down until started and names the metadata-driven family, labels, size and sha256', async () => {
    const file = modelFile(ours);
    const d = createDetector({ config: detectorConfig({ model: file, threads: 1 }), log: silentLogger() });
    expect(d.health()).toEqual({ state: 'down', detail: 'detector not started' });
    expect(() => d.info()).toThrow(/not started/);
    await d.start();
    started.push(d);
    expect(d.info()).toMatchObject({
      path: file,
      family: 'traycheck',
      labels: LABELS,
      labelsSource: 'metadata',
      imgsz: [64, 64],
      version: '0.1.0',
      outputDims: [1, 2, 7],
      preprocess: { letterbox: 'center', channels: 'rgb', padValue: 114 },
    });
    expect(d.info().sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(d.health().state).toBe('ok');
  });

  it('maps boxes out of the centred letterbox into frame pixels, clipped', async () => {
    const d = await start({ model: modelFile(ours), aliases: { fries: 'chips' } });
    expect(d.info().labels).toEqual(['burger', 'chips', 'drink']);
    // 128x64 frame → scale 0.5, content 64x32 at y 16..48.
    const out = await d.detect(frame(128, 64, 7));
    expect(out).toMatchObject({ cameraId: 'expo', seq: 7, ts: 1_700_000_000_007, width: 128, height: 64 });
    expect(out.inferenceMs).toBeGreaterThan(0);
    expect(out.detections.map((x) => [x.label, x.score.toFixed(2), x.box])).toEqual([
      ['burger', '0.90', [16, 0, 48, 16]],
      ['chips', '0.60', [0, 48, 32, 64]],
    ]);
    expect(d.lastTimings()?.totalMs).toBeCloseTo(out.inferenceMs, 6);
    expect(d.health().detail).toMatch(
      /traycheck model m\d+\.onnx \(sha256 [0-9a-f]{12}\), [\d.]+ ms per frame/,
    );
  });

  it('applies class thresholds by menu label or model label', async () => {
    const byAlias = await start({
      model: modelFile(ours),
      aliases: { fries: 'chips' },
      classThresholds: { chips: 0.7 },
    });
    expect((await byAlias.detect(frame(64, 64))).detections.map((x) => x.label)).toEqual(['burger']);
    const byModel = await start({
      model: modelFile(ours),
      classThresholds: { burger: 0.95 },
      scoreThreshold: 0.5,
    });
    expect((await byModel.detect(frame(64, 64))).detections.map((x) => x.label)).toEqual(['fries']);
  });

  it('runs one inference at a time: concurrent calls all resolve with their own frame', async () => {
    const d = await start({ model: modelFile(ours) });
    const results = await Promise.all([0, 1, 2, 3, 4].map((seq) => d.detect(frame(64 + seq * 16, 64, seq))));
    expect(results.map((r) => [r.seq, r.width])).toEqual([0, 1, 2, 3, 4].map((s) => [s, 64 + s * 16]));
    await expect(d.detect({ ...frame(64, 64), data: Buffer.alloc(5) })).rejects.toThrow(/expected 12288/);
    expect(d.health()).toMatchObject({
      state: 'degraded',
      detail: expect.stringMatching(/last 1 inference\(s\) failed/) as string,
    });
    await d.detect(frame(64, 64));
    expect(d.health().state).toBe('ok');
  });

  it('guesses YOLOX from the output shape and a labels file, and honours detector.family', async () => {
    const labelsFile = join(dir, 'labels.json');
    writeFileSync(labelsFile, JSON.stringify(LABELS));
    const k = 8;
    const out = new Float32Array(84 * k);
    out.set([0.5, 0.5, Math.log(2), Math.log(2), 0.9, 0, 0, 0.8], 0);
    const file = modelFile({ outputDims: [1, 84, k], output: out });
    const d = await start({ model: file, labelsFile });
    expect(d.info()).toMatchObject({
      family: 'yolox',
      labelsSource: 'file',
      preprocess: { letterbox: 'topleft', channels: 'bgr', scale: 1 },
    });
    const dets = (await d.detect(frame(64, 64))).detections;
    expect(dets).toHaveLength(1);
    expect(dets[0]?.label).toBe('drink');
    dets[0]?.box.forEach((v, i) => expect(v).toBeCloseTo([0, 0, 12, 12][i] as number, 4));
    await expect(startError({ model: file, labelsFile, family: 'yolov8' })).resolves.toMatchObject({
      message: expect.stringMatching(
        /yolov8 decoder: output \[1, 84, 8\] has 80 class rows but there are 3 labels/,
      ) as string,
    });
  });

  it('reads Ultralytics-style models: names dict, [1, 4+nc, N] and end-to-end [1, N, 6]', async () => {
    const names = "{0: 'burger', 1: 'fries', 2: 'drink'}";
    // [1, 7, 2] channel-major: box 0 = centre (32, 32), 16 × 8, fries 0.8; box 1 below threshold.
    const v8 = [...[32, 0], ...[32, 0], ...[16, 0], ...[8, 0], ...[0, 0], ...[0.8, 0.1], ...[0, 0]];
    const d8 = await start({
      model: modelFile({
        outputDims: [1, 7, 2],
        output: v8,
        metadata: { names, task: 'detect', imgsz: '[64, 64]' },
      }),
    });
    expect(d8.info()).toMatchObject({
      family: 'yolov8',
      labels: LABELS,
      preprocess: { letterbox: 'center', channels: 'rgb' },
    });
    expect((await d8.detect(frame(64, 64))).detections).toEqual([
      { label: 'fries', score: expect.closeTo(0.8, 5) as number, box: [24, 28, 40, 36] },
    ]);
    const e2e = [...[0, 0, 16, 16, 0.9, 2], ...[1, 0, 17, 16, 0.85, 2]];
    const de = await start({
      model: modelFile({ outputDims: [1, 2, 6], output: e2e, metadata: { names, task: 'detect' } }),
    });
    expect(de.info().family).toBe('e2e');
    // Already suppressed: both overlapping boxes stay.
    expect((await de.detect(frame(64, 64))).detections.map((x) => x.label)).toEqual(['drink', 'drink']);
  });

  it('labels classes class0.. when the model brings none and the family is set', async () => {
    const d = await start({
      model: modelFile({ outputDims: [1, 2, 6], output: new Float32Array(12) }),
      family: 'traycheck',
    });
    expect(d.info().labels).toEqual(['class0', 'class1']);
    expect(d.info().labelsSource).toBe('generic');
  });

  it('uses detector.inputSize for a dynamic input without imgsz metadata', async () => {
    const metadata = Object.fromEntries(Object.entries(ours.metadata ?? {}).filter(([k]) => k !== 'imgsz'));
    const dynamic: TinyModel = { ...ours, inputDims: [1, 3, 'h', 'w'], metadata };
    const file = modelFile(dynamic);
    expect((await startError({ model: file })).message).toMatch(
      /dynamic and there is no imgsz metadata; set detector.inputSize/,
    );
    const d = await start({ model: file, inputSize: [64, 96] });
    expect(d.info().imgsz).toEqual([64, 96]);
  });
});

describe('ModelError', () => {
  const expectError = async (
    config: Partial<DetectorConfig> & { model: string },
    message: RegExp,
  ): Promise<void> => {
    const err = await startError(config);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(config.model);
    expect(err.file).toBe(config.model);
  };

  it('missing file', () => expectError({ model: join(dir, 'nope.onnx') }, /file not found/));

  it('detector.flipTest on a model whose output is not one grid of candidates', async () => {
    // two rows for a 64 x 64 input: not a whole number of candidates per stride-8 cell
    await expectError({ model: modelFile(ours), flipTest: true }, /detector\.flipTest needs our own model/);
    await expect(start({ model: modelFile(ours), flipTest: false })).resolves.toBeDefined();
  });

  it('not an ONNX file (text, JPEG header, truncated model)', async () => {
    const text = join(dir, 'text.onnx');
    writeFileSync(text, 'this is not a model\n');
    await expectError({ model: text }, /not a valid ONNX model/);
    await expectError(
      { model: modelFile(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1])) },
      /not a valid ONNX model/,
    );
    const whole = buildOnnx(ours);
    await expectError(
      { model: modelFile(whole.subarray(0, Math.floor(whole.length * 0.6))) },
      /not a valid ONNX model \(.*(past the end|truncated)/,
    );
  });

  it('a well-formed protobuf that onnxruntime cannot load', async () => {
    const broken = buildOnnx({ ...ours, outputName: 'output', inputDims: [1, 3, 64, 64] });
    // Corrupt the op type so the graph names an operator that does not exist.
    const text = Buffer.from(broken);
    const at = text.indexOf('Constant');
    text.write('Konstant', at);
    await expectError({ model: modelFile(text) }, /onnxruntime cannot load it/);
  });

  it('wrong input or output shapes', async () => {
    await expectError(
      { model: modelFile({ ...ours, inputDims: [1, 64, 64] }) },
      /input "images" has shape \[1, 64, 64\], expected \[1, 3, H, W\]/,
    );
    await expectError(
      { model: modelFile({ ...ours, inputDims: [1, 1, 64, 64] }) },
      /expected \[1, 3, H, W\]/,
    );
    await expectError(
      { model: modelFile({ ...ours, outputDims: [1, 2, 6], output: new Float32Array(12) }) },
      /traycheck decoder: output \[1, 2, 6\] has 2 class scores but there are 3 labels/,
    );
    await expectError(
      { model: modelFile({ ...ours, metadata: { ...ours.metadata, imgsz: '[32, 32]' } }) },
      /imgsz \[32, 32\] contradicts the input shape/,
    );
  });

  it('a shape no family claims without metadata', () =>
    expectError(
      { model: modelFile({ outputDims: [1, 2, 7], output: new Float32Array(14) }) },
      /cannot tell the model family.*set detector.family/,
    ));

  it('labels that do not match the model', async () => {
    const labelsFile = join(dir, 'two.json');
    writeFileSync(labelsFile, '["a", "b"]');
    await expectError({ model: modelFile(ours), labelsFile }, /3 class scores but there are 2 labels/);
    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, '{"names": 3}');
    await expectError({ model: modelFile(ours), labelsFile: badFile }, /must hold a non-empty JSON array/);
    await expectError(
      { model: modelFile({ ...ours, metadata: { ...ours.metadata, names: 'burger fries' } }) },
      /metadata names is not a list/,
    );
  });
});

describe('detector worker', () => {
  it('fails the frame in flight when its worker dies, reports down, and starts a new worker', async () => {
    const marker = join(dir, 'crash-marker');
    const d = createDetector({
      config: detectorConfig({ model: marker, threads: 1 }),
      log: silentLogger(),
      workerUrl: new URL('./fixtures/crashing-worker.mjs', import.meta.url),
    });
    await d.start();
    started.push(d);
    await expect(d.detect(frame(8, 8, 1))).rejects.toThrow(/detector worker exited \(code 3\)/);
    expect(d.health().state).toBe('down');
    expect(d.health().detail).toMatch(/exited \(code 3\)/);
    // A new worker is started after a 1 s delay, without a frame asking for it; the failed frame
    // keeps the detector degraded until the next one succeeds.
    await waitFor(() => d.health().state !== 'down', { message: 'a new worker', timeoutMs: 10_000 });
    expect(d.health().state).toBe('degraded');
    expect(await d.detect(frame(8, 8, 2))).toMatchObject({ seq: 2, detections: [] });
    expect(d.health().state).toBe('ok');
  });
});
