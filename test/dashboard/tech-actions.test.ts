// The /tech buttons against a real dashboard: "reconnect camera" (admin only, one camera, written
// to the log with who asked) and "test broker" (a round trip on a real MQTT connection to real
// mosquitto: the latency, or the error once the broker is gone), in the API and in Chromium.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMqtt, type Mqtt } from '../../src/mqtt/client.js';
import { memoryLogger } from '../camera/fixtures.js';
import { launchChromium } from '../helpers/chromium.js';
import { startMosquitto, stopAllMosquittos, type Mosquitto } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';
import { mqttConfig } from '../orders/harness.js';
import { addStaff, setupAdmin, startHarness, type Harness, type Session } from './harness.js';

const memory = memoryLogger();
let h: Harness;
let admin: Session;
let staff: Session;
let broker: Mosquitto;
let mqtt: Mqtt;
let browser: Browser | null = null;

beforeAll(async () => {
  h = await startHarness({ log: memory.log });
  admin = await setupAdmin(h);
  staff = await addStaff(h, admin, 'sam', 'fries-and-a-cola');
  broker = await startMosquitto();
  mqtt = createMqtt({
    config: mqttConfig({ url: broker.url, protocolVersion: 4, reconnectMinMs: 100 }),
    storeId: 'store-1',
    log: memory.log,
  });
  await mqtt.start();
  h.state.brokerProbe = (ms) => mqtt.probe(ms);
});
afterAll(async () => {
  await browser?.close();
  await mqtt?.stop();
  await stopAllMosquittos();
  await h?.stop();
});

const post = (url: string, s: Session) => h.app.inject({ method: 'POST', url, headers: s.headers });
const auditLines = (msg: string) =>
  memory
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === msg);

describe('/tech actions', () => {
  it('reconnects one camera for an admin, logs who asked; staff and unknown cameras are refused', async () => {
    const res = await post('/api/cameras/expo/reconnect', admin);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ cameraId: 'expo', requestedBy: 'admin' });
    expect(h.state.reconnects).toEqual([
      { cameraId: 'expo', reason: 'reconnect requested on /tech by admin' },
    ]);
    expect(auditLines('camera reconnect requested on /tech')).toMatchObject([
      { camera: 'expo', by: 'admin' },
    ]);

    expect((await post('/api/cameras/expo/reconnect', staff)).statusCode).toBe(403);
    expect((await post('/api/cameras/drive/reconnect', admin)).statusCode).toBe(404);
    expect((await post('/api/cameras/..%2Fetc/reconnect', admin)).statusCode).toBe(400);
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/api/cameras/expo/reconnect',
      headers: { cookie: admin.headers.cookie as string },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(h.state.reconnects).toHaveLength(1);
  });

  it('tests the broker with a real round trip, then reports the error once the broker is gone', async () => {
    const ok = await post('/api/tech/broker-test', admin);
    expect(ok.statusCode).toBe(200);
    const r = ok.json<{ ok: boolean; latencyMs: number; error: null; topic: string }>();
    expect(r).toMatchObject({ ok: true, error: null });
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.latencyMs).toBeLessThan(5000);
    expect(r.topic).toMatch(/^traycheck\/store-1\/probe\//);
    expect(auditLines('broker test on /tech')).toMatchObject([{ by: 'admin', ok: true }]);
    expect((await post('/api/tech/broker-test', staff)).statusCode).toBe(403);

    broker.kill();
    await waitFor(() => !mqtt.status().connected, { message: 'connection lost' });
    const down = (await post('/api/tech/broker-test', admin)).json<{ ok: boolean; error: string }>();
    expect(down).toMatchObject({ ok: false, latencyMs: null });
    expect(down.error).toMatch(/^not connected to mqtt:\/\/127\.0\.0\.1:\d+/);
    await broker.restart();
    await waitFor(() => mqtt.status().connected, { timeoutMs: 15_000, message: 'connection back' });
  });

  it('shows both buttons to an admin in Chromium, with the results beside them; none to staff', async () => {
    browser = await launchChromium();
    const open = async (s: Session) => {
      const context = await browser!.newContext({ viewport: { width: 390, height: 844 } });
      await context.addCookies([{ name: 'traycheck_session', value: s.cookie, url: h.url }]);
      const page = await context.newPage();
      await page.goto(`${h.url}/tech`);
      await page.waitForSelector('body[data-ready="1"]');
      return { context, page };
    };
    const a = await open(admin);
    try {
      await a.page.click('#cameras button[aria-label="Reconnect camera expo"]');
      await a.page.waitForSelector('#camera-action:has-text("Reconnecting expo")');
      expect(h.state.reconnects).toHaveLength(2);
      await a.page.click('#broker-test');
      await a.page.waitForSelector('#broker-result:has-text("Broker answered in")', { timeout: 10_000 });
      expect(await a.page.locator('#broker-result').innerText()).toMatch(
        /^✓ Broker answered in \d+(\.\d)? ms$/,
      );
      expect(Number(await a.page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
    } finally {
      await a.context.close();
    }
    const s = await open(staff);
    try {
      expect(await s.page.locator('#cameras button').count()).toBe(0);
      expect(await s.page.locator('#broker-tools').isHidden()).toBe(true);
    } finally {
      await s.context.close();
    }
  });
});
