// The motion gate on a real stream: a static test pattern drops detection to idleFps while
// ingest continues; switching the server to a moving pattern brings the full rate back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCameras, type Cameras } from '../../src/camera/index.js';
import { silentLogger } from '../../src/log.js';
import { startRtspServer, stopAllRtspServers, type RtspServer } from '../helpers/rtsp.js';
import { waitFor } from '../helpers/wait.js';
import { cameraConfig, pidTracker, processAlive, recorder } from './fixtures.js';

let server: RtspServer;
let cams: Cameras | null = null;
const tracker = pidTracker();

beforeAll(async () => {
  server = await startRtspServer({ width: 640, height: 480, fps: 25, pattern: 'smpte' });
});

afterEach(async () => {
  await cams?.stop();
  cams = null;
  tracker.stop();
  for (const pid of tracker.pids) expect(processAlive(pid)).toBe(false);
});

afterAll(async () => {
  await stopAllRtspServers();
  expect(processAlive(server.pid)).toBe(false);
});

describe('motion gate on RTSP', () => {
  it('lowers the detection rate on a static scene and restores it on change', async () => {
    const rec = recorder();
    cams = createCameras({
      cameras: [
        cameraConfig({
          id: 'gate',
          source: server.url,
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
    tracker.watch(cams);
    await waitFor(() => cams?.statuses()[0]?.idle === true, {
      timeoutMs: 15_000,
      message: 'idle on a static scene',
    });

    // Idle: ~1 fps to detection while ffmpeg still delivers ~5 fps.
    const n0 = rec.frames.length;
    const total0 = cams.statuses()[0]?.framesTotal ?? 0;
    const t0 = Date.now();
    await waitFor(() => Date.now() - t0 >= 4000, { timeoutMs: 6000 });
    const secs = (Date.now() - t0) / 1000;
    const idleRate = (rec.frames.length - n0) / secs;
    const ingestRate = ((cams.statuses()[0]?.framesTotal ?? 0) - total0) / secs;
    expect(idleRate).toBeGreaterThanOrEqual(0.5);
    expect(idleRate).toBeLessThanOrEqual(1.5);
    expect(ingestRate).toBeGreaterThan(3.5);
    expect(cams.statuses()[0]?.framesSkipped).toBeGreaterThan(0);
    expect(cams.statuses()[0]?.ingestFps).toBeGreaterThan(3);

    // Change: the moving ball pattern.
    const changedAt = Date.now();
    await server.setPattern('ball');
    await waitFor(
      () =>
        rec.statuses.some((s) => s.idle === false && s.since >= 0 && Date.now() >= changedAt) &&
        cams?.statuses()[0]?.idle === false,
      {
        timeoutMs: 5000,
        message: 'full rate after change',
      },
    );
    const wakeMs = Date.now() - changedAt;
    const n1 = rec.frames.length;
    const t1 = Date.now();
    await waitFor(() => Date.now() - t1 >= 2000, { timeoutMs: 4000 });
    const busyRate = (rec.frames.length - n1) / ((Date.now() - t1) / 1000);
    expect(busyRate).toBeGreaterThan(3.5);
    expect(cams.statuses()[0]?.idle).toBe(false);
    console.log(
      `motion gate: idle ${idleRate.toFixed(2)} fps, ingest ${ingestRate.toFixed(2)} fps, busy ${busyRate.toFixed(2)} fps, wake after ${wakeMs} ms`,
    );
  });
});
