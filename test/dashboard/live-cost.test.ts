// Measures the live view's CPU cost per viewer: process CPU time over a window with
// 0, 1 and 3 MJPEG viewers (curl, outside this process) at 5 fps 640x360.
// Off by default; run: TRAYCHECK_MEASURE_LIVE=1 [TRAYCHECK_MEASURE_SECONDS=20] npx vitest run test/dashboard/live-cost.test.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { setupAdmin, startHarness, type Harness, type Session } from './harness.js';
import { sceneDetections, sceneRgb } from './scene.js';

const SECONDS = Number(process.env.TRAYCHECK_MEASURE_SECONDS ?? 20);
let h: Harness;
let admin: Session;
let feeder: NodeJS.Timeout;
const viewers: ChildProcess[] = [];

beforeAll(async () => {
  h = await startHarness();
  admin = await setupAdmin(h);
  const scenes = await Promise.all([0, 4, 8, 12, 16, 20, 24, 28].map((dx) => sceneRgb(640, 360, dx)));
  let seq = 0;
  feeder = setInterval(() => {
    seq++;
    const f = {
      cameraId: 'expo',
      seq,
      ts: Date.now(),
      width: 640,
      height: 360,
      data: scenes[seq % scenes.length] as Buffer,
    };
    h.state.frame = f;
    h.bus.emit('detections', sceneDetections(f));
    h.bus.emit('frame', f);
  }, 200);
});
afterAll(async () => {
  clearInterval(feeder);
  for (const v of viewers.splice(0)) v.kill();
  await h?.stop();
});

async function cpuOver(seconds: number): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = Date.now();
  await waitFor(() => Date.now() - t0 >= seconds * 1000, {
    timeoutMs: seconds * 1000 + 5000,
    intervalMs: 250,
  });
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / ((Date.now() - t0) / 1000); // CPU ms per wall second
}

describe.runIf(process.env.TRAYCHECK_MEASURE_LIVE === '1')('live view CPU cost', () => {
  it(
    `measures 0, 1 and 3 viewers over ${SECONDS} s each`,
    { timeout: SECONDS * 3_000 + 60_000 },
    async () => {
      const results: Record<string, number> = {};
      for (const n of [0, 1, 3]) {
        while (viewers.length < n) {
          viewers.push(
            spawn(
              'curl',
              [
                '-s',
                '-N',
                '-o',
                '/dev/null',
                '-H',
                `Cookie: ${admin.headers.cookie}`,
                `${h.url}/api/live/expo.mjpg`,
              ],
              { stdio: 'ignore' },
            ),
          );
        }
        await waitFor(
          () =>
            h.dash
              .app()
              .inject({ url: '/metrics' })
              .then((r) => r.body.includes(`traycheck_live_viewers ${n}`)),
          { message: `${n} viewers` },
        );
        const e0 = Number(
          /traycheck_live_encodes_total (\d+)/.exec((await h.app.inject({ url: '/metrics' })).body)?.[1],
        );
        results[`cpuMsPerS_${n}viewers`] = await cpuOver(SECONDS);
        const e1 = Number(
          /traycheck_live_encodes_total (\d+)/.exec((await h.app.inject({ url: '/metrics' })).body)?.[1],
        );
        results[`encodesPerS_${n}viewers`] = (e1 - e0) / SECONDS;
      }
      const out = join(ROOT, 'test-artifacts', 'live-cost.json');
      mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
      writeFileSync(out, JSON.stringify({ seconds: SECONDS, fps: 5, size: '640x360', ...results }, null, 2));
      console.log('live view cost', results);
      expect(results.encodesPerS_0viewers).toBe(0);
      expect(results.encodesPerS_3viewers).toBeLessThanOrEqual(5.5);
    },
  );
});
