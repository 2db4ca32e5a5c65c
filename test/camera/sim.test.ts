// Sim cameras: frames from an in-process producer go through a real ffmpeg (stdin → stdout) and
// the same frame reader and watchdog as RTSP.
import { describe, expect, it } from 'vitest';
import { createCameras, type SimFrameSource } from '../../src/camera/index.js';
import { silentLogger } from '../../src/log.js';
import { waitFor } from '../helpers/wait.js';
import { cameraConfig, recorder, trackCameras } from './fixtures.js';

const W = 96;
const H = 64;

/** Horizontal gradient shifted by seq: pixel (0,0) of frame n has red = n % 256. */
function gradientSource(opts: {
  fps: number;
  realtime: boolean;
  frames?: number;
  width?: number;
  height?: number;
}) {
  const width = opts.width ?? W;
  const height = opts.height ?? H;
  const asked: { seq: number; ts: number }[] = [];
  const source: SimFrameSource = {
    width,
    height,
    fps: opts.fps,
    realtime: opts.realtime,
    next(seq, tsMs) {
      asked.push({ seq, ts: tsMs });
      if (opts.frames !== undefined && seq >= opts.frames) return Promise.resolve(null);
      const buf = Buffer.alloc(width * height * 3);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const p = (y * width + x) * 3;
          buf[p] = (x + seq) % 256;
          buf[p + 1] = (y * 4) % 256;
          buf[p + 2] = 128;
        }
      }
      return Promise.resolve(buf);
    },
  };
  return { source, asked };
}

const track = trackCameras();

describe('sim camera', () => {
  it('pull mode: every frame arrives once, in order, pixel-exact, faster than real time, with virtual timestamps', async () => {
    const rec = recorder(true);
    const total = 60; // 12 s of video at 5 fps
    const { source } = gradientSource({ fps: 5, realtime: false, frames: total });
    const cams = createCameras({
      cameras: [
        cameraConfig({ id: 'sim1', source: 'sim:test', width: W, height: H, fps: 5, motionThreshold: 0 }),
      ],
      bus: rec.bus,
      log: silentLogger(),
      simSources: { sim1: source },
    });
    const t0 = Date.now();
    cams.start();
    track(cams);
    await waitFor(() => cams.processes()[0]?.pid);
    const ended = await waitFor(
      () => rec.lastStatus('sim1')?.lastError === 'ended (sim source finished)' && rec.lastStatus('sim1'),
      {
        timeoutMs: 20_000,
        message: 'sim source end',
      },
    );
    const wallMs = Date.now() - t0;
    expect(ended.state).toBe('offline');
    expect(rec.frames.map((f) => f.seq)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(wallMs).toBeLessThan((total / 5) * 1000); // faster than real time
    const first = rec.frames[0];
    expect(first).toMatchObject({ cameraId: 'sim1', width: W, height: H });
    for (const f of rec.frames) {
      expect(f.data.length).toBe(W * H * 3);
      expect(f.data[0]).toBe(f.seq % 256); // the frame that was produced for this seq
      expect(f.data[(5 * W + 3) * 3]).toBe((3 + f.seq) % 256);
      expect(f.ts - (first?.ts ?? 0)).toBe(f.seq * 200); // virtual time: seq · 1000/fps
    }
    expect(ended.framesDropped).toBe(0);
    expect(ended.restarts).toBe(0);
  });

  it('pull mode with a slow consumer: the producer waits, nothing is lost, at most 2 frames ahead', async () => {
    const rec = recorder();
    const { source, asked } = gradientSource({ fps: 10, realtime: false, frames: 20 });
    let consumed = 0;
    let maxAhead = 0;
    const cams = createCameras({
      cameras: [
        cameraConfig({ id: 'slow', source: 'sim:test', width: W, height: H, fps: 10, motionThreshold: 0 }),
      ],
      bus: rec.bus,
      log: silentLogger(),
      simSources: { slow: source },
      waitForConsumer: async () => {
        maxAhead = Math.max(maxAhead, asked.length - consumed);
        await new Promise((r) => setTimeout(r, 40)); // a busy detector
        consumed++;
      },
    });
    cams.start();
    track(cams);
    await waitFor(() => cams.processes()[0]?.pid);
    await waitFor(() => consumed === 20, { timeoutMs: 20_000, message: '20 frames consumed' });
    expect(rec.frames.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // asked counts frames produced; consumed lags by the in-flight window (2) plus the one being consumed.
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  it('realtime mode: frames at the source fps, scaled to the configured size', async () => {
    const rec = recorder(true);
    const { source } = gradientSource({ fps: 10, realtime: true, width: 192, height: 128 });
    const cams = createCameras({
      cameras: [
        cameraConfig({ id: 'rt', source: 'sim:test', width: W, height: H, fps: 10, motionThreshold: 0 }),
      ],
      bus: rec.bus,
      log: silentLogger(),
      simSources: { rt: source },
    });
    cams.start();
    track(cams);
    await waitFor(() => cams.processes()[0]?.pid);
    await waitFor(() => rec.frames.length >= 3, { timeoutMs: 15_000, message: 'first frames' });
    const start = rec.frames.length;
    const t0 = Date.now();
    await waitFor(() => rec.frames.length >= start + 20, { timeoutMs: 10_000, message: '20 more frames' });
    const rate = (20 * 1000) / (Date.now() - t0);
    expect(rate).toBeGreaterThan(7);
    expect(rate).toBeLessThan(13);
    expect(rec.frames[0]?.data.length).toBe(W * H * 3);
    expect(cams.statuses()[0]).toMatchObject({ state: 'online', cameraId: 'rt' });
    expect(cams.latestFrame('rt')?.width).toBe(W);
  });

  it('pull mode: a source stall longer than stallTimeoutMs is reported stalled (frame time), then online', async () => {
    const rec = recorder();
    // 5 fps: frames 10..24 (3 s) are never delivered; stallTimeoutMs 2 s.
    const { source } = gradientSource({ fps: 5, realtime: false, frames: 40 });
    const stalled: SimFrameSource = { ...source, resumeAt: (seq) => (seq >= 10 && seq < 25 ? 25 : seq) };
    const cams = createCameras({
      cameras: [
        cameraConfig({
          id: 'gap',
          source: 'sim:test',
          width: W,
          height: H,
          fps: 5,
          motionThreshold: 0,
          stallTimeoutMs: 2000,
        }),
      ],
      bus: rec.bus,
      log: silentLogger(),
      simSources: { gap: stalled },
    });
    cams.start();
    track(cams);
    await waitFor(() => cams.processes()[0]?.pid);
    await waitFor(() => rec.lastStatus('gap')?.lastError === 'ended (sim source finished)', {
      timeoutMs: 20_000,
      message: 'sim source end',
    });
    const seqs = rec.frames.map((f) => f.seq);
    expect(seqs).toEqual([
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array.from({ length: 15 }, (_, i) => 25 + i),
    ]);
    const states = rec.statuses.map((s) => [s.state, s.lastError]);
    const at = states.findIndex(([state]) => state === 'stalled');
    expect(states[at]).toEqual(['stalled', 'stalled (no frame for 3.2 s)']);
    expect(states[at + 1]).toEqual(['online', null]);
    const first = rec.frames[0]?.ts ?? 0;
    // Reported with the last frame before the stall; ffmpeg was not restarted for it.
    expect((rec.statuses[at]?.lastFrameTs ?? 0) - first).toBe(9 * 200);
    expect(rec.lastStatus('gap')?.restarts).toBe(0);
  });

  it('real time: a source stall longer than stallTimeoutMs trips the watchdog (stalled), then frames resume', async () => {
    const rec = recorder();
    const { source } = gradientSource({ fps: 10, realtime: true });
    // From frame 15 nothing is delivered for 5 s (frames 15..64).
    const stalled: SimFrameSource = { ...source, resumeAt: (seq) => (seq >= 15 && seq < 65 ? 65 : seq) };
    const cams = createCameras({
      cameras: [
        cameraConfig({
          id: 'rtgap',
          source: 'sim:test',
          width: W,
          height: H,
          fps: 10,
          motionThreshold: 0,
          stallTimeoutMs: 1000,
          backoffInitialMs: 200,
          backoffMaxMs: 1000,
        }),
      ],
      bus: rec.bus,
      log: silentLogger(),
      simSources: { rtgap: stalled },
    });
    cams.start();
    track(cams);
    await waitFor(() => cams.processes()[0]?.pid);
    const down = await waitFor(() => rec.statuses.find((s) => s.state === 'stalled'), {
      timeoutMs: 15_000,
      message: 'stalled',
    });
    expect(down.lastError).toMatch(/^stalled \(no frame for \d+\.\d s\)$/);
    await waitFor(() => rec.frames.some((f) => f.seq >= 65), {
      timeoutMs: 15_000,
      message: 'frames after the stall',
    });
    expect(rec.frames.some((f) => f.seq >= 15 && f.seq < 65)).toBe(false);
    expect(rec.lastStatus('rtgap')?.state).toBe('online');
  });

  it('a sim camera without a registered source is offline with a readable reason', async () => {
    const rec = recorder();
    const cams = createCameras({
      cameras: [cameraConfig({ id: 'nosrc', source: 'sim:test' })],
      bus: rec.bus,
      log: silentLogger(),
    });
    cams.start();
    track(cams);
    const s = await waitFor(() => rec.lastStatus('nosrc')?.state === 'offline' && rec.lastStatus('nosrc'));
    expect(s.lastError).toBe('no sim source registered for camera "nosrc"');
    expect(cams.health().state).toBe('degraded');
  });
});
