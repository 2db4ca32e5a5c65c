// The technician's "reconnect camera" (/tech): one camera's ffmpeg is replaced at once, without
// waiting out a backoff, while the other camera's ffmpeg keeps running and keeps delivering frames.
// Real RTSP server, real ffmpeg.
import { describe, expect, it } from 'vitest';
import { createCameras, type Cameras } from '../../src/camera/index.js';
import { silentLogger } from '../../src/log.js';
import { waitFor } from '../helpers/wait.js';
import { cameraConfig, processAlive, recorder, rtspServerForFile, trackCameras } from './fixtures.js';

const server = rtspServerForFile({ width: 320, height: 180, fps: 10, pattern: 'ball' });
const track = trackCameras();

// A long initial backoff: a reconnect that waited for it would miss the deadlines below.
const slow = { stallTimeoutMs: 5000, backoffInitialMs: 20_000, backoffMaxMs: 30_000, motionThreshold: 0 };
const pidOf = (c: Cameras, id: string): number | null =>
  c.processes().find((p) => p.cameraId === id)?.pid ?? null;

describe('camera reconnect on request', () => {
  it('restarts only the chosen camera, at once, and it streams again', async () => {
    const rec = recorder();
    const cfg = (id: string) =>
      cameraConfig({ id, source: server().url, width: 320, height: 180, fps: 5, ...slow });
    const c = createCameras({ cameras: [cfg('expo'), cfg('drive')], bus: rec.bus, log: silentLogger() });
    c.start();
    track(c);
    // Under load a first attempt can stall (5 s) and then wait out the 20 s backoff once.
    await waitFor(() => c.statuses().every((s) => s.state === 'online'), {
      timeoutMs: 45_000,
      message: 'both cameras online',
    });
    const expoPid = pidOf(c, 'expo');
    const drivePid = pidOf(c, 'drive');
    const [expoRestarts, driveRestarts] = c.statuses().map((s) => s.restarts);
    expect(expoPid).not.toBeNull();

    const t0 = Date.now();
    expect(c.reconnect('expo', 'reconnect requested on /tech by admin')).toBe(true);
    await waitFor(() => pidOf(c, 'expo') !== null && pidOf(c, 'expo') !== expoPid, {
      timeoutMs: 5000,
      message: 'a new ffmpeg for expo',
    });
    const framesBefore = rec.framesOf('expo').length;
    await waitFor(() => rec.framesOf('expo').length >= framesBefore + 3, {
      timeoutMs: 15_000,
      message: 'expo frames after the reconnect',
    });
    // Well under the 20 s backoff a plain restart would have waited.
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(processAlive(expoPid as number)).toBe(false);
    // The other camera: same ffmpeg, never restarted, still online.
    expect(pidOf(c, 'drive')).toBe(drivePid);
    const [expo, drive] = [c.statuses()[0], c.statuses()[1]];
    expect(expo).toMatchObject({ cameraId: 'expo', state: 'online', restarts: (expoRestarts as number) + 1 });
    expect(drive).toMatchObject({ cameraId: 'drive', state: 'online', restarts: driveRestarts });
    // What the technician sees for the restarted camera is why it restarted.
    expect(rec.statuses.some((s) => s.cameraId === 'expo' && s.lastError?.includes('/tech by admin'))).toBe(
      true,
    );
  }, 90_000);

  it('is refused for an unknown or stopped camera', () => {
    const rec = recorder();
    const c = createCameras({
      cameras: [cameraConfig({ id: 'expo', source: server().url, width: 320, height: 180, fps: 5, ...slow })],
      bus: rec.bus,
      log: silentLogger(),
    });
    track(c);
    expect(c.reconnect('expo', 'before start')).toBe(false);
    expect(c.reconnect('nope', 'unknown')).toBe(false);
  });
});
