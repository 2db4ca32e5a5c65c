import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDetectLoop, MAX_IN_FLIGHT, type DetectLoopDeps } from '../../src/detect/loop.js';
import { createDetector, detectorConfig } from '../../src/detect/index.js';
import { createEventBus } from '../../src/events.js';
import { silentLogger } from '../../src/log.js';
import type { Frame, FrameDetections } from '../../src/types.js';
import { waitFor } from '../helpers/wait.js';
import { buildOnnx } from './onnx-writer.js';

const frame = (cameraId: string, seq: number): Frame => ({
  cameraId,
  seq,
  ts: seq,
  width: 4,
  height: 4,
  data: Buffer.alloc(48),
});

/** A detector whose inferences finish when the test says so. */
function manualDetector() {
  const pending: Array<{ frame: Frame; resolve: (r: FrameDetections) => void; reject: (e: Error) => void }> =
    [];
  let running = 0;
  let maxRunning = 0;
  return {
    pending,
    maxRunning: () => maxRunning,
    detect(f: Frame): Promise<FrameDetections> {
      running++;
      maxRunning = Math.max(maxRunning, running);
      return new Promise<FrameDetections>((resolve, reject) =>
        pending.push({ frame: f, resolve, reject }),
      ).finally(() => running--);
    },
    finish(inferenceMs: number): Frame {
      const job = pending.shift();
      if (!job) throw new Error('no inference running');
      const f = job.frame;
      job.resolve({
        cameraId: f.cameraId,
        seq: f.seq,
        ts: f.ts,
        width: f.width,
        height: f.height,
        detections: [],
        inferenceMs,
      });
      return f;
    },
    fail(): void {
      pending.shift()?.reject(new Error('boom'));
    },
  };
}

/** A started detect loop on a real bus, with what it published in `out`. */
function startLoop(detector: DetectLoopDeps['detector']) {
  const bus = createEventBus(silentLogger());
  const loop = createDetectLoop({ detector, bus, log: silentLogger() });
  const out: FrameDetections[] = [];
  bus.on('detections', 'test', (d) => void out.push(d));
  loop.start();
  return { bus, loop, out };
}

describe('detect loop', () => {
  it('keeps two frames with the detector, newest frame per camera wins, cameras take turns', async () => {
    const detector = manualDetector();
    const { bus, loop, out } = startLoop(detector);

    bus.emit('frame', frame('a', 1)); // in inference at once
    bus.emit('frame', frame('a', 2)); // queued behind it at once
    for (let s = 3; s <= 5; s++) bus.emit('frame', frame('a', s)); // 3, 4 replaced; 5 waits
    bus.emit('frame', frame('b', 1));
    expect(MAX_IN_FLIGHT).toBe(2);
    expect(loop.stats()).toMatchObject({ busy: true, processed: 0, dropped: 2 });
    expect(detector.pending.map((p) => p.frame.seq)).toEqual([1, 2]);

    detector.finish(10);
    await waitFor(() => detector.pending.length === 2 && detector.pending[1]?.frame.seq === 5, {
      message: 'a#5 to go in',
    });
    bus.emit('frame', frame('a', 6)); // a waits again, behind b
    detector.finish(30);
    await waitFor(() => detector.pending[1]?.frame.cameraId === 'b', { message: 'camera b to get its turn' });
    detector.finish(20);
    await waitFor(() => detector.pending[1]?.frame.seq === 6, { message: 'a#6 to go in' });
    detector.finish(40);
    detector.finish(50);
    await waitFor(() => out.length === 5, { message: 'five detections' });

    expect(out.map((d) => `${d.cameraId}#${d.seq}`)).toEqual(['a#1', 'a#2', 'a#5', 'b#1', 'a#6']);
    expect(detector.maxRunning()).toBe(2);
    expect(loop.stats()).toEqual({
      processed: 5,
      dropped: 2,
      errors: 0,
      busy: false,
      lastInferenceMs: 50,
      p50Ms: 30,
    });
    await loop.stop();
  });

  it('counts failures, keeps going, and stops intake on stop()', async () => {
    const detector = manualDetector();
    const { bus, loop, out } = startLoop(detector);
    bus.emit('frame', frame('a', 1));
    bus.emit('frame', frame('a', 2));
    bus.emit('frame', frame('a', 3)); // waits
    detector.fail();
    await waitFor(() => detector.pending[1]?.frame.seq === 3, { message: 'next frame after a failure' });
    const stopped = loop.stop();
    bus.emit('frame', frame('a', 4)); // after stop: ignored
    detector.finish(5);
    detector.finish(6);
    await stopped;
    expect(out.map((d) => d.seq)).toEqual([2, 3]);
    expect(loop.stats()).toMatchObject({ processed: 2, errors: 1, busy: false });
    expect(detector.pending).toHaveLength(0);
  });
});

describe('detect loop with the real detector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'traycheck-loop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns bus frames into bus detections', async () => {
    const model = join(dir, 'tiny.onnx');
    writeFileSync(
      model,
      buildOnnx({
        outputDims: [1, 1, 5],
        output: [8, 8, 24, 24, 0.8],
        metadata: { names: '["tray"]', family: 'traycheck' },
      }),
    );
    const detector = createDetector({ config: detectorConfig({ model, threads: 1 }), log: silentLogger() });
    await detector.start();
    const { bus, loop, out } = startLoop(detector);
    const data = Buffer.alloc(64 * 64 * 3);
    for (let seq = 0; seq < 20; seq++)
      bus.emit('frame', { cameraId: 'expo', seq, ts: seq, width: 64, height: 64, data });
    await waitFor(() => !loop.stats().busy && out.length > 0 && out.at(-1)?.seq === 19, {
      message: 'the last frame',
      timeoutMs: 20_000,
    });
    const s = loop.stats();
    expect(s.processed + s.dropped).toBe(20);
    expect(s.processed).toBe(out.length);
    expect(out[0]?.detections).toEqual([
      { label: 'tray', score: expect.closeTo(0.8, 5) as number, box: [8, 8, 24, 24] },
    ]);
    await loop.stop();
    await detector.stop();
  });
});
