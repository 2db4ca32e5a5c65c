// A real RTSP server (gst-rtsp-server, H.264 640x480@25) and real ffmpeg: rate and size, and a
// server that accepts the connection but never answers. Recovery: rtsp-recovery.test.ts.
import { describe, expect, it } from 'vitest';
import { createCameras } from '../../src/camera/index.js';
import { silentLogger } from '../../src/log.js';
import { startRtspServer } from '../helpers/rtsp.js';
import { waitFor } from '../helpers/wait.js';
import { cameraConfig, processAlive, recorder, rtspServerForFile, trackCameras } from './fixtures.js';

const server = rtspServerForFile({ width: 640, height: 480, fps: 25, pattern: 'ball' });
const track = trackCameras();

const fast = { stallTimeoutMs: 2000, backoffInitialMs: 200, backoffMaxMs: 1000, motionThreshold: 0 };

describe('RTSP camera', () => {
  it('delivers frames of the configured size at about the configured rate', async () => {
    const rec = recorder(true);
    const cams = createCameras({
      cameras: [cameraConfig({ id: 'expo', source: server().url, width: 320, height: 180, fps: 5, ...fast })],
      bus: rec.bus,
      log: silentLogger(),
    });
    cams.start();
    track(cams);
    expect(rec.statuses[0]?.state).toBe('connecting');
    await waitFor(() => rec.frames.length >= 2, { timeoutMs: 15_000, message: 'first frames' });
    // Frames buffered while ffmpeg probed the stream (or while a loaded box lagged) come in a
    // burst: measure once three frames in a row arrived at least 120 ms apart, then time the
    // next 15 frames (~3 s at 5 fps).
    const arrivals: number[] = [];
    rec.bus.on('frame', 'arrival', () => void arrivals.push(Date.now()));
    await waitFor(
      () => {
        const a = arrivals.slice(-4);
        return a.length === 4 && a.every((t, i) => i === 0 || t - (a[i - 1] ?? 0) >= 120);
      },
      { timeoutMs: 15_000, message: 'steady frames' },
    );
    const n0 = rec.frames.length;
    const t0 = Date.now();
    await waitFor(() => rec.frames.length >= n0 + 15, { timeoutMs: 10_000, message: '15 more frames' });
    const rate = (15 * 1000) / (Date.now() - t0);
    expect(rate).toBeGreaterThan(5 * 0.7);
    expect(rate).toBeLessThan(5 * 1.3);
    for (const f of rec.frames) expect(f).toMatchObject({ cameraId: 'expo', width: 320, height: 180 });
    expect(rec.frames.at(-1)?.data.length).toBe(320 * 180 * 3);
    const seqs = rec.frames.map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const st = cams.statuses()[0];
    expect(st).toMatchObject({ state: 'online', lastError: null, framesDropped: 0 });
    expect(st?.fps).toBeGreaterThan(3);
    expect(st?.framesTotal).toBeGreaterThanOrEqual(rec.frames.length);
    expect(cams.health()).toMatchObject({ state: 'ok' });
    expect(cams.latestFrame('expo')?.seq).toBe(rec.frames.at(-1)?.seq);
    expect(cams.latestFrame('nope')).toBeNull();
  });

  it('server that accepts but never answers → "timed out" after the RTSP socket timeout', async () => {
    const own = await startRtspServer({ width: 320, height: 240, fps: 25 });
    const ownPid = own.pid;
    own.pause(); // the kernel still accepts the TCP connection; nothing answers DESCRIBE
    const rec = recorder();
    const cams = createCameras({
      cameras: [cameraConfig({ id: 'mute', source: own.url, width: 160, height: 120, fps: 5, ...fast })],
      bus: rec.bus,
      log: silentLogger(),
    });
    const t0 = Date.now();
    cams.start();
    track(cams);
    const s = await waitFor(() => rec.statuses.find((x) => x.lastError !== null), {
      timeoutMs: 15_000,
      message: 'an error',
    });
    expect(s).toMatchObject({ state: 'offline', lastError: 'timed out (server did not answer)' });
    // ffmpeg's own -timeout (5 s) ended it, not the 10 s first-frame watchdog.
    expect(Date.now() - t0).toBeLessThan(9000);
    await own.stop();
    expect(processAlive(ownPid)).toBe(false);
  });
});
