import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/types.js';
import { waitFor } from '../helpers/wait.js';
import { setupAdmin, startHarness, type Harness, type Session } from './harness.js';
import { openMjpeg, type MjpegClient } from './live-client.js';

let h: Harness;
let admin: Session;
const clients: MjpegClient[] = [];
beforeEach(async () => {
  h = await startHarness();
  admin = await setupAdmin(h);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h.stop();
});

const W = 320;
const H = 180;
const T0 = Date.now();
// Frames one second apart in capture time, so the live fps cap never skips one.
const blackFrame = (seq: number): Frame => ({
  cameraId: 'expo',
  seq,
  ts: T0 + seq * 1000,
  width: W,
  height: H,
  data: Buffer.alloc(W * H * 3),
});
const metric = async (name: string): Promise<number> => {
  const body = (await h.app.inject({ url: '/metrics' })).body;
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1] ?? NaN);
};

describe('live view', () => {
  it('encodes each frame once for all viewers, only while someone watches', async () => {
    const frameListeners = h.bus.listenerCount('frame');
    for (let seq = 1; seq <= 3; seq++) h.bus.emit('frame', blackFrame(seq));
    expect(await metric('traycheck_live_encodes_total')).toBe(0);

    h.state.frame = blackFrame(0);
    for (let i = 0; i < 3; i++)
      clients.push(await openMjpeg(`${h.url}/api/live/expo.mjpg`, admin.headers.cookie as string));
    expect(clients.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(h.bus.listenerCount('frame')).toBe(frameListeners + 1);
    await waitFor(() => clients.every((c) => c.frames.length >= 1), {
      message: 'first frame on every viewer',
    });
    const before = await metric('traycheck_live_encodes_total');

    const sent = 4;
    for (let seq = 1; seq <= sent; seq++) {
      h.bus.emit('frame', blackFrame(seq));
      await waitFor(() => clients.every((c) => c.frames.length >= 1 + seq), {
        message: `frame ${seq} on every viewer`,
      });
    }
    expect(await metric('traycheck_live_encodes_total')).toBe(before + sent); // not 3 × sent
    expect(await metric('traycheck_live_viewers')).toBe(3);
    const last = clients[0]?.frames.at(-1);
    expect(last?.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const meta = await sharp(last).metadata();
    expect([meta.width, meta.height]).toEqual([W, H]);

    for (const c of clients.splice(0)) c.close();
    await waitFor(async () => (await metric('traycheck_live_viewers')) === 0, { message: 'viewers gone' });
    expect(h.bus.listenerCount('frame')).toBe(frameListeners);
  });

  it('draws the zone, detections and trays onto the picture', async () => {
    h.state.frame = blackFrame(1);
    h.state.trays = [
      {
        trayId: 'expo-1',
        box: [100, 60, 220, 150],
        counts: { fries: 1 },
        settled: true,
        orderId: '9',
        expected: { fries: 1, drink: 1 },
      },
    ];
    const res = await h.app.inject({
      url: '/api/live/expo.jpg',
      headers: { cookie: admin.headers.cookie as string },
    });
    expect(res.statusCode).toBe(200);
    const { data, info } = await sharp(res.rawPayload).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
    ];
    const [r, g, b] = px(100, 100); // left edge of the settled tray box: green
    expect(g).toBeGreaterThan(150);
    expect(r).toBeLessThan(100);
    expect(b).toBeLessThan(150);
    expect(Math.max(...px(60, 100))).toBeLessThan(40); // empty frame stays dark
    // The dashed zone line runs along x = 5 %: cyan somewhere near there.
    const near = [-1, 0, 1].flatMap((dx) => [90, 95, 100, 105].map((y) => px(Math.round(0.05 * W) + dx, y)));
    expect(near.some(([rr, gg, bb]) => (gg ?? 0) > 120 && (bb ?? 0) > 120 && (rr ?? 0) < 100)).toBe(true);

    const trays = (
      await h.app.inject({ url: '/api/live/expo/trays', headers: { cookie: admin.headers.cookie as string } })
    ).json<{ trays: { lines: unknown[] }[] }>();
    expect(trays.trays[0]?.lines).toEqual([
      { label: 'drink', name: 'Cola', expected: 1, counted: 0, ok: false },
      { label: 'fries', name: 'Fries', expected: 1, counted: 1, ok: true },
    ]);
    expect(
      (
        await h.app.inject({
          url: '/api/live/nope.mjpg',
          headers: { cookie: admin.headers.cookie as string },
        })
      ).statusCode,
    ).toBe(404);
    expect((await h.app.inject({ url: '/api/live/expo.mjpg' })).statusCode).toBe(401);
  });
});
