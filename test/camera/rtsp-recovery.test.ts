// Recovery against a real RTSP server: the server dying and coming back on the same port, and a
// server that freezes with the connection open (only the stall watchdog notices).
import { afterEach, describe, expect, it } from 'vitest';
import { createCameras } from '../../src/camera/index.js';
import { silentLogger } from '../../src/log.js';
import { startRtspServer, stopAllRtspServers } from '../helpers/rtsp.js';
import { waitFor } from '../helpers/wait.js';
import { cameraConfig, processAlive, recorder, trackCameras } from './fixtures.js';

const serverPids: number[] = [];

// Registered before trackCameras(): vitest runs afterEach hooks last-registered first, so a test's
// cameras are stopped before its servers.
afterEach(async () => {
  await stopAllRtspServers();
  for (const pid of serverPids.splice(0))
    expect(processAlive(pid), `rtsp server ${pid} still running`).toBe(false);
});
const track = trackCameras();

const fast = { stallTimeoutMs: 2000, backoffInitialMs: 200, backoffMaxMs: 1000, motionThreshold: 0 };

describe('RTSP camera recovery', () => {
  it('server killed → offline at once; restarted on the same port → online again', async () => {
    const own = await startRtspServer({ width: 320, height: 240, fps: 25 });
    serverPids.push(own.pid);
    const rec = recorder();
    const cams = createCameras({
      cameras: [cameraConfig({ id: 'drive', source: own.url, width: 160, height: 120, fps: 5, ...fast })],
      bus: rec.bus,
      log: silentLogger(),
    });
    cams.start();
    track(cams);
    await waitFor(() => cams.statuses()[0]?.state === 'online', { timeoutMs: 15_000, message: 'online' });

    own.kill();
    const killedAt = Date.now();
    const down = await waitFor(
      () => rec.statuses.find((s) => s.state === 'stalled' || s.state === 'offline'),
      {
        timeoutMs: fast.stallTimeoutMs + 1000,
        message: 'stalled/offline',
      },
    );
    expect(down.since - killedAt).toBeLessThanOrEqual(fast.stallTimeoutMs);
    // ffmpeg 5.1 exits 0 when the server goes away, or, when the kill tears a packet in half,
    // reports the torn packet as invalid data (seen once in CI): either way a lost stream.
    expect(['ended (exit 0)', 'invalid data (not a readable video stream)']).toContain(down.lastError);
    await waitFor(() => cams.statuses()[0]?.lastError === 'connection refused', {
      timeoutMs: 5000,
      message: 'refused',
    });
    expect(cams.health().state).toBe('degraded');

    const again = await startRtspServer({ width: 320, height: 240, fps: 25, port: own.port });
    serverPids.push(again.pid);
    const upAt = Date.now();
    await waitFor(() => cams.statuses()[0]?.state === 'online', {
      timeoutMs: 5000,
      message: 'online after restart',
    });
    expect(Date.now() - upAt).toBeLessThan(5000);
    expect(cams.statuses()[0]?.restarts).toBeGreaterThanOrEqual(1);
    await again.stop();
  });

  it('server frozen with the connection open → the watchdog kills ffmpeg (stalled) and reconnects', async () => {
    const own = await startRtspServer({ width: 320, height: 240, fps: 25 });
    serverPids.push(own.pid);
    const rec = recorder();
    const cams = createCameras({
      cameras: [cameraConfig({ id: 'frozen', source: own.url, width: 160, height: 120, fps: 5, ...fast })],
      bus: rec.bus,
      log: silentLogger(),
    });
    cams.start();
    track(cams);
    await waitFor(() => cams.statuses()[0]?.state === 'online', { timeoutMs: 15_000, message: 'online' });
    const firstPid = cams.processes()[0]?.pid;

    own.pause();
    const pausedAt = Date.now();
    const stalled = await waitFor(() => rec.statuses.find((s) => s.state === 'stalled'), {
      timeoutMs: fast.stallTimeoutMs + 2000,
      message: 'stalled',
    });
    expect((stalled.since ?? Number.NaN) - pausedAt).toBeLessThan(fast.stallTimeoutMs + 1000);
    expect(stalled.lastError).toMatch(/^stalled \(no frame for \d+\.\d s\)$/);
    await waitFor(() => firstPid != null && !processAlive(firstPid), {
      timeoutMs: 2000,
      message: 'old ffmpeg gone',
    });

    own.resume();
    await waitFor(() => cams.statuses()[0]?.state === 'online', {
      timeoutMs: 10_000,
      message: 'online after resume',
    });
    await own.stop();
  });
});
