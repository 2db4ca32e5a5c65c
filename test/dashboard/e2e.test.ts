// End to end in real Chromium against a real dashboard server (real SQLite file, real event bus).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { ROOT } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { makeVerdict } from './fake-alerts.js';
import { startHarness, type Harness } from './harness.js';
import { SCENE_TRAY, sceneDetections, sceneJpeg, sceneRgb } from './scene.js';

/** The parts of an <img> the checks read (this project compiles without the DOM lib). */
interface ImgLike {
  complete: boolean;
  naturalWidth: number;
}

const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const PASSWORD = 'counter-tablet-2024';
let h: Harness;
let browser: Browser;
let page: Page;
const requested: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('request', (r) => requested.push(r.url()));
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const ready = () => page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });

describe('dashboard in Chromium', () => {
  it('setup link → login → live alert → acknowledge → fixed → every view', async () => {
    // 1. First start: the one-time setup link sets the admin password.
    const token = h.dash.setupToken();
    expect(token).toBeTruthy();
    await page.goto(`${h.url}/setup?token=${token}`);
    await shot('setup');
    await page.fill('input[name=password]', PASSWORD);
    await page.fill('input[name=repeat]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${h.url}/`);
    expect(h.dash.setupToken()).toBeNull();

    // 2. Log out, then log in through the form.
    await ready();
    await page.click('text=Log out');
    await page.waitForURL(/\/login/);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'wrong password!');
    await page.click('button[type=submit]');
    await page.waitForSelector('#msg:has-text("wrong username or password")');
    await shot('login');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${h.url}/`);
    await ready();
    await page.waitForSelector('#empty:not([hidden])');
    await shot('alerts-empty');

    // 3. A mismatch verdict's alert appears within 1 s, in plain words, with the snapshot.
    writeFileSync(join(h.dir, 'snapshots', 'a1b2c3d4e5f6.jpg'), await sceneJpeg());
    const t0 = Date.now();
    const first = h.alerts.raise(
      makeVerdict({ orderId: '1042', missing: { fries: 1 }, snapshotId: 'a1b2c3d4e5f6' }),
      { latencyMs: 420 },
    );
    const card = page.locator(`.card.alert[data-id="${first.id}"]`);
    await card.waitFor({ timeout: 1000 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await card.locator('.diff').innerText()).toBe('Missing: 1 × Fries');
    expect(await card.locator('.order').innerText()).toBe('Order #1042');
    await waitFor(
      () => card.locator('img.snap').evaluate((img: ImgLike) => img.complete && img.naturalWidth === 640),
      { message: 'snapshot loaded' },
    );
    const second = h.alerts.raise(
      makeVerdict({
        orderId: '1043',
        trayId: 'expo-2',
        missing: { burger: 1 },
        extra: { drink: 1 },
        snapshotId: 'a1b2c3d4e5f6',
      }),
      { latencyMs: 610 },
    );
    await page.locator(`.card.alert[data-id="${second.id}"]`).waitFor({ timeout: 1000 });
    expect(await page.locator(`.card.alert[data-id="${second.id}"] .diff`).innerText()).toBe(
      'Missing: 1 × Burger\nExtra: 1 × Cola',
    );
    await shot('alerts');
    await page.goto(`${h.url}/?kiosk=1`);
    await ready();
    expect(await page.locator('#top').isVisible()).toBe(false);
    await shot('alerts-kiosk');
    await page.setViewportSize({ width: 800, height: 1280 }); // 10" tablet, portrait
    await shot('alerts-kiosk-portrait');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${h.url}/`);
    await ready();

    // 4. One tap acknowledges (sent after the 5 s undo window).
    await card.locator('button.ack').click();
    await card.waitFor({ state: 'detached', timeout: 8000 });
    expect(h.alerts.get(first.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'admin' });

    // 5. A corrected tray's alert leaves by itself after showing "Fixed".
    h.alerts.resolve(second.id, 'corrected');
    const fixed = page.locator(`.card.alert.fixed[data-id="${second.id}"]`);
    await fixed.waitFor({ timeout: 1000 });
    expect(await fixed.locator('.stamp').innerText()).toContain('Fixed');
    await shot('alerts-fixed');
    await fixed.waitFor({ state: 'detached', timeout: 8000 });

    // 6. Manager view shows the counts from the database.
    h.db
      .prepare(
        "INSERT INTO verdicts (tray_id, camera_id, order_id, link, result, expected_json, observed_json, missing_json, extra_json, ts) VALUES ('expo-9','expo','1040','ready','ok','{}','{}','{}','{}',?)",
      )
      .run(Date.now());
    await page.goto(`${h.url}/manager`);
    await ready();
    const today = page.locator('#today');
    expect(await today.locator('[data-stat=traysVerified] .value').innerText()).toBe('3');
    expect(await today.locator('[data-stat=mismatches] .value').innerText()).toBe('2');
    expect(await today.locator('[data-stat=errorsCaught] .value').innerText()).toBe('1');
    expect(await today.locator('[data-stat=accuracyRate] .value').innerText()).toBe('33.3 %');
    expect(await today.locator('[data-stat=latency] .value').innerText()).toBe('0.4 s');
    expect(await today.locator('[data-stat=latency] .label').innerText()).toContain('95 % within 0.6 s');
    expect(await page.locator('#chart svg rect').count()).toBeGreaterThan(0);
    await shot('manager');

    // 7. The other views render.
    const ins = h.db.prepare(
      'INSERT INTO orders (order_id, version, station, items_json, status, placed_at, updated_at) VALUES (?,?,?,?,?,?,?)',
    );
    ins.run(
      '1044',
      1,
      'expo',
      JSON.stringify([
        { sku: 'COMBO1', qty: 1 },
        { sku: 'FRIES', qty: 1 },
      ]),
      'open',
      Date.now() - 90_000,
      Date.now(),
    );
    ins.run(
      '1042',
      1,
      'expo',
      JSON.stringify([{ sku: 'COMBO1', qty: 1 }]),
      'mismatch',
      Date.now() - 200_000,
      Date.now(),
    );
    await page.goto(`${h.url}/orders`);
    await ready();
    await page.waitForSelector('.order-card[data-order="1044"]');
    await shot('orders');
    await page.goto(`${h.url}/history`);
    await ready();
    expect(await page.locator('#rows tr').count()).toBe(3);
    await shot('history');
    await page.goto(`${h.url}/tech`);
    await ready();
    await page.waitForSelector('#config:has-text("store-1")');
    await shot('tech');

    // 8. Live view: frames from the bus, drawn once, streamed as MJPEG.
    const rgb = await sceneRgb();
    const frame = (seq: number) => ({
      cameraId: 'expo',
      seq,
      ts: Date.now(),
      width: 640,
      height: 360,
      data: rgb,
    });
    h.state.frame = frame(0);
    h.state.trays = [SCENE_TRAY];
    const feeder = setInterval(() => {
      const f = frame(Date.now());
      h.bus.emit('detections', sceneDetections(f));
      h.bus.emit('frame', f);
    }, 200);
    try {
      await page.goto(`${h.url}/live`);
      await ready();
      await page.waitForSelector('.tray td.mark.no');
      await waitFor(() => page.locator('#stream').evaluate((img: ImgLike) => img.naturalWidth === 640), {
        message: 'live picture',
      });
      await shot('live');
    } finally {
      clearInterval(feeder);
    }

    // 9. Nothing was requested from another host.
    const origin = new URL(h.url).origin;
    expect(requested.length).toBeGreaterThan(20);
    expect(requested.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses API mutations without a session or without the CSRF token', async () => {
    const anon = await browser.newContext();
    try {
      const p = await anon.newPage();
      await p.goto(`${h.url}/login`);
      const status = await p.evaluate(
        async () => (await fetch('/api/alerts/1/ack', { method: 'POST' })).status,
      );
      expect(status).toBe(401);
    } finally {
      await anon.close();
    }
    const noCsrf = await page.evaluate(
      async () => (await fetch('/api/alerts/1/ack', { method: 'POST' })).status,
    );
    expect(noCsrf).toBe(403);
  });
});
