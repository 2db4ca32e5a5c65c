// Every page at small phone (360×740), phone (390×844), tablet (1280×800) and desktop (1920×1080) in Chromium:
// no horizontal scrolling, a screenshot of each for a person to look at, and an HTML
// 404 page for unknown URLs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { ROOT } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { CONTRAST_PROBLEMS } from './contrast.js';
import { createObservationsRepo } from '../../src/store/observations-repo.js';
import { makeVerdict } from './fake-alerts.js';
import { sessionCookie, setupAdmin, startHarness, type Harness } from './harness.js';
import { SCENE_DETECTIONS, SCENE_TRAY, sceneDetections, sceneJpeg, sceneRgb } from './scene.js';

const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const SIZES = [
  { name: 'small-phone', width: 360, height: 740 },
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 1280, height: 800 },
  { name: 'desktop', width: 1920, height: 1080 },
];
const PAGES = ['/', '/live', '/orders', '/history', '/manager', '/tech', '/account'];
let h: Harness;
let browser: Browser;
let cookie: string;
let feeder: NodeJS.Timeout | undefined;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness();
  cookie = (await setupAdmin(h)).cookie;
  writeFileSync(join(h.dir, 'snapshots', 'a1b2c3d4e5f6.jpg'), await sceneJpeg());
  const ins = h.db.prepare(
    'INSERT INTO orders (order_id, version, station, items_json, status, placed_at, updated_at) VALUES (?,?,?,?,?,?,?)',
  );
  const items = JSON.stringify([
    { sku: 'COMBO1', qty: 2, modifiers: ['no pickles', 'extra sauce'] },
    { sku: 'FRIES', qty: 1 },
  ]);
  // 13 of each status: one more than a page of the /orders board, so every column has a pager.
  for (let i = 0; i < 52; i++) {
    const status = ['open', 'ready', 'verified', 'mismatch'][i % 4] as string;
    ins.run(`10${40 + i}`, 1, 'expo', items, status, Date.now() - i * 60_000, Date.now());
  }
  // The detections the 1040 tray was judged on (one of them unsure), shown beside its snapshot.
  const settledAt = Date.now() - 1000;
  createObservationsRepo(h.db).insert({
    cameraId: 'expo',
    trayId: 'expo-1',
    station: 'expo',
    phase: 'settled',
    items: { burger: 1, drink: 2 },
    uncertain: ['drink'],
    ts: settledAt,
    detections: SCENE_DETECTIONS.map((d) =>
      d.label === 'drink' ? { ...d, score: 0.52, uncertain: true } : d,
    ),
  });
  h.alerts.raise(
    makeVerdict({
      ts: settledAt,
      orderId: '1040',
      missing: { fries: 1, burger: 1 },
      extra: { drink: 2 },
      snapshotId: 'a1b2c3d4e5f6',
    }),
  );
  h.alerts.raise(makeVerdict({ orderId: '1041', trayId: 'expo-2', missing: { drink: 1 } }));
  // The live view has a picture and a tray to show.
  const rgb = await sceneRgb();
  h.state.frame = { cameraId: 'expo', seq: 1, ts: Date.now(), width: 640, height: 360, data: rgb };
  h.state.trays = [SCENE_TRAY];
  feeder = setInterval(() => {
    const ts = Date.now();
    const f = { cameraId: 'expo', seq: ts, ts, width: 640, height: 360, data: rgb };
    h.bus.emit('detections', sceneDetections(f));
    h.bus.emit('frame', f);
  }, 200);
  browser = await launchChromium();
});
afterAll(async () => {
  clearInterval(feeder);
  await browser?.close();
  await h?.stop();
});

describe('layouts in Chromium', () => {
  for (const size of SIZES) {
    it(`no page scrolls sideways and all text has WCAG AA contrast at ${size.width}×${size.height}`, async () => {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      await context.addCookies([{ name: 'traycheck_session', value: cookie, url: h.url }]);
      const page = await context.newPage();
      const overflow: Record<string, number> = {};
      const lowContrast: Record<string, string[]> = {};
      try {
        for (const path of PAGES) {
          await page.goto(`${h.url}${path}`);
          await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
          if (path === '/live')
            await waitFor(() => page.evaluate("document.getElementById('stream')?.naturalWidth === 640"), {
              message: 'the live picture',
            });
          const name = path === '/' ? 'alerts' : path.slice(1);
          await page.screenshot({ path: join(SHOTS, `${name}-${size.name}.png`), fullPage: true });
          const wide = await page.evaluate('document.documentElement.scrollWidth');
          if (Number(wide) > size.width) overflow[path] = Number(wide);
          const low = await page.evaluate<string[]>(CONTRAST_PROBLEMS);
          if (low.length) lowContrast[path] = low;
        }
        // The evidence of one verdict in /history.
        await page.goto(`${h.url}/history`);
        await page.waitForSelector('body[data-ready="1"]');
        await page.locator('#rows tr[data-id] button:has-text("Details")').last().click();
        await page.waitForSelector('#detail:not([hidden]) .counts');
        expect(await page.locator('#detail .detections tbody tr').count()).toBe(4);
        expect(await page.locator('#detail .detections tr.unsure').innerText()).toMatch(
          /Cola\s+52 %\s+unsure/,
        );
        await page.screenshot({ path: join(SHOTS, `history-detail-${size.name}.png`), fullPage: true });
        const wide = await page.evaluate('document.documentElement.scrollWidth');
        if (Number(wide) > size.width) overflow['/history detail'] = Number(wide);
      } finally {
        await context.close();
      }
      expect(overflow).toEqual({});
      expect(lowContrast).toEqual({});
    });
  }

  it('/tech: broker state agrees with health, retention and model in plain words, refreshes by itself', async () => {
    h.state.health = {
      ...h.state.health,
      components: {
        ...h.state.health.components,
        broker: { state: 'ok', detail: 'connected to mqtt://127.0.0.1:1883' },
      },
    };
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'traycheck_session', value: cookie, url: h.url }]);
    const page = await context.newPage();
    try {
      await page.goto(`${h.url}/tech`);
      await page.waitForSelector('body[data-ready="1"]');
      const facts = await page.locator('#facts').innerText();
      expect(facts).toMatch(/Broker\s+online/);
      expect(facts).toMatch(/Model\s+traycheck-det v1\n/);
      expect(facts).toContain('Snapshots: 14 days');
      expect(facts).toContain('Verdicts and alerts: 90 days');
      expect(facts).not.toContain('RetentionDays');
      expect(facts).toMatch(/Load \d+\.\d\d on \d+ CPUs/);
      expect(facts).toMatch(/Memory .* free of /);
      // Auto-refresh: a camera going offline shows up without reloading.
      h.state.cameras = [{ ...h.state.cameras[0]!, state: 'offline' }];
      await page.waitForSelector('#cameras .badge.offline', { timeout: 8000 });
      // Pairing a wall screen from the page gives a link to open on the tablet.
      await page.fill('#pair input[name=name]', 'front-wall');
      await page.click('#pair button[type=submit]');
      await page.waitForSelector('#pairlink a.pair-url');
      expect(await page.locator('#pairlink a.pair-url').innerText()).toMatch(/\/pair\?code=/);
      await page.waitForSelector('#users tr[data-user="front-wall"] >> text=Revoke');
      await page.screenshot({ path: join(SHOTS, 'tech-pairing-tablet.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('/orders: a column longer than a page pages on the server', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addCookies([{ name: 'traycheck_session', value: cookie, url: h.url }]);
    const page = await context.newPage();
    try {
      await page.goto(`${h.url}/orders`);
      await page.waitForSelector('body[data-ready="1"]');
      const open = page.locator('section.column[data-status="open"]');
      expect(await open.locator('h2').innerText()).toBe('Open (13)');
      expect(await open.locator('.order-card').count()).toBe(12);
      expect(await open.locator('.pager').innerText()).toContain('1 of 2');
      const firstPage = await open.locator('.order-card .id').allInnerTexts();
      await open.locator('button:has-text("Older")').click();
      await page.waitForSelector('section.column[data-status="open"] .pager:has-text("2 of 2")');
      const secondPage = await open.locator('.order-card .id').allInnerTexts();
      expect(secondPage).toHaveLength(1);
      expect(firstPage).not.toContain(secondPage[0]);
      expect(await open.locator('button:has-text("Older")').isDisabled()).toBe(true);
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
    } finally {
      await context.close();
    }
  });

  it('a snapshot on the staff screen opens full screen by tap or keyboard and closes with Escape', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addCookies([{ name: 'traycheck_session', value: cookie, url: h.url }]);
    const page = await context.newPage();
    try {
      await page.goto(`${h.url}/`);
      await page.waitForSelector('body[data-ready="1"]');
      const snap = page.locator('.card.alert[data-order="1040"] img.snap');
      await waitFor(
        () =>
          snap.evaluate(
            (img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0,
          ),
        {
          message: 'snapshot',
        },
      );
      expect(await page.locator('.card.alert .snap:not(img)').allInnerTexts()).not.toContain('no picture');
      await snap.click();
      await page.locator('.viewer img').waitFor();
      await page.screenshot({ path: join(SHOTS, 'snapshot-full-phone.png') });
      await page.keyboard.press('Escape');
      await page.locator('.viewer').waitFor({ state: 'detached' });
      await snap.focus();
      await page.keyboard.press('Enter');
      await page.locator('.viewer img').waitFor();
    } finally {
      await context.close();
    }
  });

  it('other pages show a NOT CONNECTED bar under the top bar when their session ends', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'admin', password: 'correct horse battery' },
    });
    const session = sessionCookie(res);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addCookies([{ name: 'traycheck_session', value: session, url: h.url }]);
    const page = await context.newPage();
    try {
      await page.goto(`${h.url}/history`);
      await page.waitForSelector('body[data-ready="1"][data-conn="live"]');
      const csrf = res.json<{ csrfToken: string }>().csrfToken;
      await h.app.inject({
        method: 'POST',
        url: '/api/logout',
        headers: { cookie: `traycheck_session=${session}`, 'x-csrf-token': csrf },
      });
      const bar = page.locator('#offline.bar');
      await bar.waitFor({ state: 'visible', timeout: 5000 });
      expect(await bar.innerText()).toContain('NOT CONNECTED');
      const box = await bar.boundingBox();
      expect(box?.y ?? 999).toBeLessThan(200);
      expect(await page.locator('.top .conn.down').count()).toBe(1);
      await page.screenshot({ path: join(SHOTS, 'history-not-connected-phone.png') });
    } finally {
      await context.close();
    }
  });

  it('unknown URLs get an HTML page in a browser and JSON from the API', async () => {
    const page = await browser.newPage();
    try {
      const res = await page.goto(`${h.url}/no-such-page`);
      expect(res?.status()).toBe(404);
      expect(await page.locator('h1').innerText()).toBe('Page not found');
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    } finally {
      await page.close();
    }
    const api = await h.app.inject({ url: '/api/no-such-thing', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ error: 'not found' });
  });
});
