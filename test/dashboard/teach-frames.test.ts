// /api/teach/frames and /api/alerts/:id/false-alarm on a real dashboard (fastify, SQLite file,
// frames and cards on disk): admin only, CSRF on writes, paging, boxes checked with a clear 400
// and nothing written, the saved card on disk; false alarm for staff and wall screens.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeachSection } from '../../src/config/sections/teach.js';
import type { TeachConfig } from '../../src/config/schema.js';
import { capturedDir } from '../../src/teach/capture.js';
import { frameStem, keepFrame, type FrameCard } from '../../src/teach/frame-card.js';
import { createFrameStore } from '../../src/teach/frames.js';
import { makeVerdict } from './fake-alerts.js';
import { addStaff, setupAdmin, startHarness, type Harness, type Session } from './harness.js';

const LABELS = ['tray', 'burger', 'fries', 'drink'];
const W = 64;
const H = 48;
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
let h: Harness;
let admin: Session;
let staff: Session;
let jpeg: Buffer;
const stems: string[] = [];

const dir = (): string => capturedDir(h.dir);
const card = (stem: string): FrameCard =>
  JSON.parse(readFileSync(join(dir(), `${stem}.json`), 'utf8')) as FrameCard;

beforeAll(async () => {
  const teach = { ...(Value.Default(TeachSection, {}) as TeachConfig) };
  h = await startHarness({
    extra: (d) => ({
      teachFrames: createFrameStore({
        dataDir: d,
        teach,
        labels: () => LABELS,
        orderItems: (trayId) => (trayId === 'expo-3' ? ['fries', 'drink'] : []),
      }),
    }),
  });
  admin = await setupAdmin(h);
  staff = await addStaff(h, admin, 'sam', 'staff password 1');
  jpeg = await sharp({ create: { width: W, height: H, channels: 3, background: '#556677' } })
    .jpeg()
    .toBuffer();
  // 30 frames a minute apart; frame i is tray expo-i with one burger box.
  for (let i = 0; i < 30; i++) {
    const stem = frameStem(T0 + i * 60_000, 'expo', `expo-${i}`);
    stems.push(stem);
    keepFrame({
      dir: dir(),
      stem,
      jpeg,
      width: W,
      height: H,
      labels: LABELS,
      detections: [
        { label: 'burger', score: 0.9, box: [10, 10, 30, 30] },
        { label: 'pasta', score: 0.9, box: [0, 0, 5, 5] },
      ],
      card: {
        capturedAt: T0 + i * 60_000,
        cameraId: 'expo',
        trayId: `expo-${i}`,
        reason: i === 29 ? 'false-alarm' : 'sample',
        alertId: i === 29 ? 7 : null,
        orderItems: i === 29 ? ['burger'] : [],
      },
    });
  }
});
afterAll(async () => h?.stop());

const get = (s: Session | null, url: string) =>
  h.app.inject({ url, headers: s ? { cookie: s.headers.cookie as string } : {} });
const put = (s: Session, url: string, payload: unknown, headers = s.headers) =>
  h.app.inject({ method: 'PUT', url, headers, payload: payload as object });

describe('/api/teach/frames', () => {
  it('is for admins only; writes need the CSRF header', async () => {
    const one = `/api/teach/frames/${stems[0]}`;
    for (const url of ['/api/teach/frames', one, `${one}/image`]) {
      expect((await get(null, url)).statusCode).toBe(401);
      expect((await get(staff, url)).statusCode).toBe(403);
      expect((await get(admin, url)).statusCode).toBe(200);
    }
    const body = { boxes: [], state: 'done' };
    expect((await put(staff, one, body)).statusCode).toBe(403);
    const noCsrf = await put(admin, one, body, { cookie: admin.headers.cookie as string });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toEqual({ error: 'missing or wrong X-CSRF-Token header' });
    const crossSite = await put(admin, one, body, { ...admin.headers, origin: 'http://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    expect(card(stems[0] as string).state).toBe('to-label');
  });

  it('pages newest first, filters by state and says capture is off', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const r = await get(admin, `/api/teach/frames?perPage=8&page=${page}`);
      expect(r.statusCode).toBe(200);
      const body = r.json<{
        total: number;
        capture: { enabled: boolean };
        frames: Array<{ id: string; state: string; orderItems: string[] }>;
      }>();
      expect(body.total).toBe(30);
      expect(body.capture.enabled).toBe(false);
      expect(body.frames).toHaveLength(page < 4 ? 8 : 6);
      seen.push(...body.frames.map((f) => f.id));
    }
    expect(seen).toEqual([...stems].reverse());
    for (const bad of ['perPage=0', 'perPage=201', 'page=0', 'state=maybe', 'page=x'])
      expect((await get(admin, `/api/teach/frames?${bad}`)).statusCode, bad).toBe(400);
    // Order items of a sample frame come from the tray's verdict; a false alarm's were recorded.
    const first = (await get(admin, '/api/teach/frames?perPage=30')).json<{
      frames: Array<{ id: string; orderItems: string[]; reason: string }>;
    }>().frames;
    expect(first.find((f) => f.id === stems[3])?.orderItems).toEqual(['fries', 'drink']);
    expect(first[0]).toMatchObject({ id: stems[29], reason: 'false-alarm', orderItems: ['burger'] });
  });

  it('gives one frame with its pre-labels (labels it does not know left out), its order items first', async () => {
    const r = await get(admin, `/api/teach/frames/${stems[3]}`);
    expect(r.json()).toMatchObject({
      width: W,
      height: H,
      state: 'to-label',
      boxes: [{ label: 'burger', box: [10, 10, 30, 30] }],
      labels: ['fries', 'drink', 'tray', 'burger'],
      imageUrl: `/api/teach/frames/${stems[3]}/image`,
    });
    const img = await get(admin, `/api/teach/frames/${stems[3]}/image`);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(img.rawPayload.equals(jpeg)).toBe(true);
    expect((await get(admin, '/api/teach/frames/20261202T120000000Z-expo-nope')).statusCode).toBe(404);
    expect((await get(admin, '/api/teach/frames/..%2F..%2Fetc')).statusCode).toBe(400);
  });

  it('refuses bad boxes with a clear reason and writes nothing', async () => {
    const url = `/api/teach/frames/${stems[1]}`;
    const before = readFileSync(join(dir(), `${stems[1]}.json`), 'utf8');
    const cases: Array<[unknown, RegExp]> = [
      [{ boxes: [{ label: 'burger', box: [10, 10, 70, 30] }], state: 'done' }, /outside the 64×48 image/],
      [{ boxes: [{ label: 'burger', box: [-1, 10, 20, 30] }], state: 'done' }, /outside the 64×48 image/],
      [
        { boxes: [{ label: 'pasta', box: [1, 1, 20, 20] }], state: 'done' },
        /unknown label "pasta" \(known: tray, burger/,
      ],
      [
        { boxes: [{ label: 'fries', box: [20, 20, 10, 30] }], state: 'done' },
        /box 1 \(fries\): x2 must exceed x1/,
      ],
      [{ boxes: [{ label: 'fries', box: [1, 2, 3] }], state: 'done' }, /box/],
      [{ boxes: [], state: 'finished' }, /state/],
      [
        { boxes: Array.from({ length: 101 }, () => ({ label: 'fries', box: [1, 1, 9, 9] })), state: 'done' },
        /must NOT have more than 100 items/,
      ],
    ];
    for (const [body, reason] of cases) {
      const r = await put(admin, url, body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.json<{ error: string }>().error).toMatch(reason);
    }
    expect(readFileSync(join(dir(), `${stems[1]}.json`), 'utf8')).toBe(before);
    expect(
      (await put(admin, '/api/teach/frames/20261202T120000000Z-expo-gone', { boxes: [], state: 'done' }))
        .statusCode,
    ).toBe(404);
  });

  it('saves boxes and state on the card, and counts them', async () => {
    const url = `/api/teach/frames/${stems[2]}`;
    const boxes = [
      { label: 'tray', box: [0, 0, 64, 48] },
      { label: 'fries', box: [5.04, 6, 20, 22.5] },
    ];
    const r = await put(admin, url, { boxes, state: 'done' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ state: 'done', boxCount: 2, labelledBy: 'admin' });
    expect(card(stems[2] as string)).toMatchObject({
      state: 'done',
      boxes: [
        { label: 'tray', box: [0, 0, 64, 48] },
        { label: 'fries', box: [5, 6, 20, 22.5] },
      ],
      labelledBy: 'admin',
      trayId: 'expo-2',
    });
    expect(
      (await put(admin, `/api/teach/frames/${stems[4]}`, { boxes: [], state: 'excluded' })).statusCode,
    ).toBe(200);
    const list = (await get(admin, '/api/teach/frames?state=done')).json<{
      total: number;
      counts: Record<string, number>;
      frames: Array<{ id: string }>;
    }>();
    expect(list.counts).toEqual({ 'to-label': 28, done: 1, excluded: 1 });
    expect(list.frames.map((f) => f.id)).toEqual([stems[2]]);
  });

  it('reads a frame captured before cards from its YOLO pre-labels, and saves a card for it', async () => {
    const stem = frameStem(T0 - 3_600_000, 'expo', 'expo-old');
    writeFileSync(join(dir(), `${stem}.jpg`), jpeg);
    writeFileSync(join(dir(), `${stem}.txt`), '2 0.500000 0.500000 0.250000 0.500000\n');
    const r = (await get(admin, `/api/teach/frames/${stem}`)).json<{ boxes: unknown; capturedAt: number }>();
    expect(r.boxes).toEqual([{ label: 'fries', box: [24, 12, 40, 36] }]);
    expect(r.capturedAt).toBe(T0 - 3_600_000);
    expect((await put(admin, `/api/teach/frames/${stem}`, { boxes: [], state: 'excluded' })).statusCode).toBe(
      200,
    );
    expect(card(stem)).toMatchObject({ state: 'excluded', width: W, height: H, boxes: [] });
  });
});

describe('/api/alerts/:id/false-alarm', () => {
  it('resolves the alert as a false alarm with who and when; staff and wall screens may, with CSRF', async () => {
    const a = h.alerts.raise(makeVerdict({ orderId: '9', missing: { fries: 1 } }));
    const url = `/api/alerts/${a.id}/false-alarm`;
    expect((await h.app.inject({ method: 'POST', url })).statusCode).toBe(401);
    expect(
      (await h.app.inject({ method: 'POST', url, headers: { cookie: staff.headers.cookie as string } }))
        .statusCode,
    ).toBe(403);
    const r = await h.app.inject({ method: 'POST', url, headers: staff.headers });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'resolved', resolution: 'false-alarm', acknowledgedBy: 'sam' });
    expect(h.alerts.get(a.id)).toMatchObject({ resolution: 'false-alarm', acknowledgedBy: 'sam' });
    // Again: already resolved, nothing changes.
    expect((await h.app.inject({ method: 'POST', url, headers: admin.headers })).json()).toMatchObject({
      acknowledgedBy: 'sam',
    });
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/alerts/999/false-alarm', headers: staff.headers }))
        .statusCode,
    ).toBe(404);

    const pairing = await h.app.inject({
      method: 'POST',
      url: '/api/displays',
      headers: admin.headers,
      payload: { name: 'expo-wall' },
    });
    const paired = await h.app.inject({ url: pairing.json<{ pairPath: string }>().pairPath });
    const cookie = String([paired.headers['set-cookie']].flat()[0]).split(';')[0] as string;
    const me = (await h.app.inject({ url: '/api/me', headers: { cookie } })).json<{ csrfToken: string }>();
    const b = h.alerts.raise(makeVerdict({ orderId: '10', extra: { drink: 1 } }));
    const wall = await h.app.inject({
      method: 'POST',
      url: `/api/alerts/${b.id}/false-alarm`,
      headers: { cookie, 'x-csrf-token': me.csrfToken },
    });
    expect(wall.json()).toMatchObject({ resolution: 'false-alarm', acknowledgedBy: 'expo-wall' });
    const stats = (await get(admin, '/api/stats')).json<{ today: { falseAlarms: number } }>();
    expect(stats.today.falseAlarms).toBe(2);
  });
});
