// The motion gate on a real stream: a static test pattern drops detection to idleFps while
// ingest continues; switching the server to a moving pattern brings the full rate back.
import { describe, expect, it } from 'vitest';
import { createCameras } from '../../src/camera/index.js';
import { silentLogger } from '../../src/log.js';
import { waitFor } from '../helpers/wait.js';
import { cameraConfig, recorder, rtspServerForFile, trackCameras } from './fixtures.js';

const server = rtspServerForFile({ width: 640, height: 480, fps: 25, pattern: 'solid-color' });
const track = trackCameras();

describe('motion gate on RTSP', () => {
  it('lowers the detection rate on a static scene and restores it on change', async () => {
    const rec = recorder();
    const cams = createCameras({
      cameras: [
        cameraConfig({
          id: 'gate',
          source: server().url,
          width: 320,
          height: 240,
          fps: 5,
          idleFps: 1,
          motionThreshold: 0.005,
          motionHoldMs: 1000,
          stallTimeoutMs: 3000,
        }),
      ],
      bus: rec.bus,
      log: silentLogger(),
    });
    cams.start();
    track(cams);
    await waitFor(() => cams.statuses()[0]?.idle === true, {
      timeoutMs: 15_000,
      message: 'idle on a static scene',
    });

    // Idle: over the next 20 frames from ffmpeg (~4 s at 5 fps) only ~1 in 5 goes to detection.
    const st0 = cams.statuses()[0];
    const n0 = rec.frames.length;
    const t0 = Date.now();
    await waitFor(() => (cams.statuses()[0]?.framesTotal ?? 0) >= (st0?.framesTotal ?? 0) + 20, {
      timeoutMs: 10_000,
    });
    const idleForwarded = rec.frames.length - n0;
    expect(idleForwarded).toBeGreaterThanOrEqual(2);
    expect(idleForwarded).toBeLessThanOrEqual(6);
    const ingestRate = (20 * 1000) / (Date.now() - t0);
    expect(ingestRate).toBeGreaterThan(3.5); // ffmpeg keeps decoding at full rate
    expect(cams.statuses()[0]?.framesSkipped).toBeGreaterThanOrEqual(14);
    expect(cams.statuses()[0]?.ingestFps).toBeGreaterThan(3);

    // Change: the moving ball pattern.
    const changedAt = Date.now();
    await server().setPattern('ball');
    await waitFor(() => cams.statuses()[0]?.idle === false, {
      timeoutMs: 5000,
      message: 'full rate after change',
    });
    // End-to-end: pattern switch → x264 → RTSP → ffmpeg → gate, plus up to one 200 ms frame slot.
    const wakeMs = Date.now() - changedAt;
    // Busy: every frame from ffmpeg goes to detection.
    const total1 = cams.statuses()[0]?.framesTotal ?? 0;
    const n1 = rec.frames.length;
    await waitFor(() => (cams.statuses()[0]?.framesTotal ?? 0) >= total1 + 10, { timeoutMs: 6000 });
    expect(rec.frames.length - n1).toBeGreaterThanOrEqual(9);
    expect(cams.statuses()[0]?.idle).toBe(false);
    expect(wakeMs).toBeLessThan(5000);
  });
});
