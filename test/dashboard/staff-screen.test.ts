// The staff screen in real Chromium against a real dashboard server: it never shows
// "all OK" while it cannot know, says NOT CONNECTED within 5 s when the session ends, comes back
// by itself with the alerts it missed, and draws attention like a kitchen display.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { ROOT } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { CONTRAST_PROBLEMS } from './contrast.js';
import { makeVerdict } from './fake-alerts.js';
import { addStaff, login, setupAdmin, startHarness, type Harness, type Session } from './harness.js';

const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const PASSWORD = 'correct horse battery';
let h: Harness;
let browser: Browser;
let admin: Session;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness({ config: { alertEscalateAfterS: 10 } });
  admin = await setupAdmin(h, PASSWORD);
  h.db
    .prepare(
      'INSERT INTO orders (order_id, version, station, items_json, status, placed_at, updated_at) VALUES (?,?,?,?,?,?,?)',
    )
    .run(
      '1042',
      1,
      'expo',
      JSON.stringify([
        { sku: 'COMBO1', qty: 1 },
        { sku: 'FRIES', qty: 1 },
        { sku: 'GIFT', qty: 1 },
      ]),
      'ready',
      Date.now() - 60_000,
      Date.now(),
    );
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

async function staffScreen(cookie: string, path = '/', width = 1280, height = 800) {
  const context = await browser.newContext({ viewport: { width, height } });
  await context.addCookies([{ name: 'traycheck_session', value: cookie, url: h.url }]);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${h.url}${path}`);
  await page.waitForSelector('body[data-ready="1"][data-conn="live"]', { timeout: 10_000 });
  return { context, page, requests };
}

const offline = (page: Page) => page.locator('#offline');
const beeps = async (page: Page) => Number((await page.locator('body').getAttribute('data-beeps')) ?? 0);

describe('staff screen in Chromium', () => {
  let context: BrowserContext;
  afterAll(async () => context?.close());

  it('NOT CONNECTED within 5 s when the session ends; back by itself with the missed alerts', async () => {
    const screen = await staffScreen(admin.cookie);
    context = screen.context;
    const { page } = screen;
    await page.waitForSelector('#empty:not([hidden])');
    expect(await offline(page).count()).toBe(0);

    // A new alert: the order as a checklist, a flashing border, a sound, the count in the title.
    const first = h.alerts.raise(
      makeVerdict({ orderId: '1042', missing: { fries: 1 }, extra: { drink: 1 } }),
    );
    const card = page.locator(`.card.alert[data-id="${first.id}"]`);
    await card.waitFor({ timeout: 1000 });
    expect(await card.getAttribute('class')).toContain('new');
    expect(await card.locator('.checklist').innerText()).toBe(
      '✗1 × Burger Meal — missing 1 × Fries\n✓1 × Fries\n·1 × Gift card\n+1 × Cola (not ordered)',
    );
    await waitFor(async () => (await beeps(page)) >= 1, { message: 'a beep for the new alert' });
    await waitFor(async () => (await page.title()).startsWith('(1) Alerts'), { message: 'count in title' });
    await page.screenshot({ path: join(SHOTS, 'staff-alert-1280.png') });

    // The session ends (logged out elsewhere): the stream closes and the screen says so.
    const t0 = Date.now();
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/logout', headers: admin.headers })).statusCode,
    ).toBe(200);
    await offline(page).waitFor({ state: 'visible', timeout: 5000 });
    const notConnectedMs = Date.now() - t0;
    expect(notConnectedMs).toBeLessThan(5000);
    expect(await offline(page).innerText()).toContain('NOT CONNECTED — alerts are not being shown');
    expect(await offline(page).innerText()).toContain('The login has ended');
    expect(await page.title()).toContain('NOT CONNECTED');
    expect(await page.evaluate(CONTRAST_PROBLEMS)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'staff-not-connected-1280.png') });
    console.log(`staff screen: NOT CONNECTED ${notConnectedMs} ms after the session ended`);

    // Meanwhile: a new alert, and the first tray leaves with its error.
    const missed = h.alerts.raise(makeVerdict({ orderId: '1043', trayId: 'expo-2', missing: { burger: 1 } }));
    h.alerts.resolve(first.id, 'served-with-error');

    // Someone logs in again: the screen reconnects by itself and shows what it missed.
    const again = await login(h, 'admin', PASSWORD);
    admin = again;
    await context.addCookies([{ name: 'traycheck_session', value: again.cookie, url: h.url }]);
    await offline(page).waitFor({ state: 'hidden', timeout: 10_000 });
    await page.locator(`.card.alert[data-id="${missed.id}"]`).waitFor({ timeout: 2000 });
    const servedWrong = page.locator(`.card.alert.served-wrong[data-id="${first.id}"]`);
    await servedWrong.waitFor({ timeout: 2000 });
    expect(await servedWrong.locator('.order').innerText()).toBe('Served wrong — call back #1042');
    expect(await page.evaluate(CONTRAST_PROBLEMS)).toEqual([]);
    expect(screen.requests.some((u) => /\/api\/events\?since=[0-9a-f]+\.\d+$/.test(u))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'staff-served-wrong-1280.png') });

    // Served-wrong stays until dismissed, on every wall screen: a second one drops the card when
    // the first is tapped, the server keeps who dismissed it, and a reload does not bring it back.
    const wall = await staffScreen(admin.cookie, '/?kiosk=1');
    const wallCard = wall.page.locator(`.card.alert.served-wrong[data-id="${first.id}"]`);
    await wallCard.waitFor({ timeout: 2000 });
    await servedWrong.locator('button.ack').click();
    await servedWrong.waitFor({ state: 'detached', timeout: 2000 });
    await wallCard.waitFor({ state: 'detached', timeout: 2000 });
    expect(h.alerts.get(first.id)).toMatchObject({ dismissedBy: 'admin' });
    await wall.page.reload();
    await wall.page.waitForSelector('body[data-ready="1"][data-conn="live"]');
    expect(await wallCard.count()).toBe(0);
    await wall.context.close();
    // Acknowledging can be undone within 5 s.
    const missedCard = page.locator(`.card.alert[data-id="${missed.id}"]`);
    await missedCard.locator('button.ack').click();
    await missedCard.locator('button.ack:has-text("Undo")').click();
    expect(await missedCard.getAttribute('class')).not.toContain('acking');
    expect(h.alerts.get(missed.id)?.status).toBe('open');
    await missedCard.locator('button.ack').click();
    await missedCard.waitFor({ state: 'detached', timeout: 8000 });
    expect(h.alerts.get(missed.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'admin' });
    await page.waitForSelector('#empty:not([hidden])');
  });

  it('NOT CONNECTED within 5 s when the server goes away; back with the missed alerts when it returns', async () => {
    const { page, context: c } = await staffScreen(admin.cookie);
    const server = h.app.server;
    const port = Number(new URL(h.url).port);
    try {
      // The box stops answering: no new connections, the open ones cut.
      const t0 = Date.now();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await offline(page).waitFor({ state: 'visible', timeout: 5000 });
      const ms = Date.now() - t0;
      expect(ms).toBeLessThan(5000);
      console.log(`staff screen: NOT CONNECTED ${ms} ms after the server went away`);
      expect(await offline(page).innerText()).toContain('Trying to reconnect');
      expect(await page.locator('#empty').isVisible()).toBe(false);
      const missed = h.alerts.raise(makeVerdict({ orderId: '1060', missing: { fries: 1 } }));
      await page.screenshot({ path: join(SHOTS, 'staff-not-connected-network-1280.png') });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      await offline(page).waitFor({ state: 'hidden', timeout: 10_000 });
      await page.locator(`.card.alert[data-id="${missed.id}"]`).waitFor({ timeout: 2000 });
      h.alerts.resolve(missed.id, 'acknowledged');
    } finally {
      await c.close();
    }
  });

  it('NOT CONNECTED within 5 s when the connection goes silent without closing (default heartbeat)', async () => {
    // Every byte the server sends on connections open now stays in its buffer: what a tablet sees
    // when Wi-Fi drops without a TCP reset. New connections work, so the page recovers by itself.
    const sockets = new Set<import('node:net').Socket>();
    const track = (s: import('node:net').Socket) => void sockets.add(s);
    h.app.server.on('connection', track);
    const { page, context: c } = await staffScreen(admin.cookie);
    h.app.server.off('connection', track);
    try {
      const t0 = Date.now();
      for (const s of sockets) s.cork();
      await offline(page).waitFor({ state: 'visible', timeout: 5000 });
      const ms = Date.now() - t0;
      expect(ms).toBeLessThan(5000);
      console.log(`staff screen: NOT CONNECTED ${ms} ms after the connection went silent`);
      await offline(page).waitFor({ state: 'hidden', timeout: 10_000 });
    } finally {
      for (const s of sockets) s.destroy();
      await c.close();
    }
  });

  it('an alert left open past alertEscalateAfterS turns urgent and sounds again', async () => {
    const { page, context: c } = await staffScreen(admin.cookie);
    try {
      const old = h.alerts.raise(makeVerdict({ orderId: '1050', missing: { drink: 1 } }), {
        openedAt: Date.now() - 9_000,
      });
      const card = page.locator(`.card.alert[data-id="${old.id}"]`);
      await card.waitFor({ timeout: 1000 });
      const before = await beeps(page);
      await page.locator(`.card.alert.urgent[data-id="${old.id}"]`).waitFor({ timeout: 4000 });
      await waitFor(async () => (await beeps(page)) > before, { message: 'the urgent tone' });
      h.alerts.resolve(old.id, 'acknowledged');
      await card.waitFor({ state: 'detached', timeout: 2000 });
    } finally {
      await c.close();
    }
  });

  it('changing the password on /account puts every other screen of that user to NOT CONNECTED', async () => {
    const counter = await staffScreen((await addStaff(h, admin, 'sam', 'staff-password-1')).cookie);
    const phone = await staffScreen((await login(h, 'sam', 'staff-password-1')).cookie, '/account', 390, 844);
    try {
      await phone.page.fill('input[name=current]', 'staff-password-1');
      await phone.page.fill('input[name=password]', 'new-staff-password-2');
      await phone.page.fill('input[name=repeat]', 'new-staff-password-2');
      const t0 = Date.now();
      await phone.page.click('button[type=submit]');
      await phone.page.waitForSelector('#msg.ok:has-text("1 other session logged out")');
      await offline(counter.page).waitFor({ state: 'visible', timeout: 5000 });
      expect(Date.now() - t0).toBeLessThan(5000);
      await phone.page.screenshot({ path: join(SHOTS, 'account-phone.png') });
      // The phone that changed it stays connected.
      expect(await phone.page.locator('body').getAttribute('data-conn')).toBe('live');
    } finally {
      await counter.context.close();
      await phone.context.close();
    }
  });

  it('a paired wall screen stays logged in, and is NOT CONNECTED within 5 s once revoked', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url: '/api/displays',
      headers: admin.headers,
      payload: { name: 'expo-wall' },
    });
    const { pairPath } = r.json<{ pairPath: string }>();
    const context2 = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context2.newPage();
      await page.goto(`${h.url}${pairPath}`);
      await page.waitForURL(`${h.url}/?kiosk=1`);
      await page.waitForSelector('body[data-ready="1"][data-conn="live"]');
      const [cookie] = await context2.cookies();
      expect((cookie?.expires ?? 0) * 1000 - Date.now()).toBeGreaterThan(360 * 86_400_000);
      expect(await page.locator('#top').isVisible()).toBe(false);
      expect(await page.locator('.kiosk-tools .conn:not(.down)').count()).toBe(1);

      const t0 = Date.now();
      await h.app.inject({ method: 'DELETE', url: '/api/users/expo-wall', headers: admin.headers });
      await offline(page).waitFor({ state: 'visible', timeout: 5000 });
      expect(Date.now() - t0).toBeLessThan(5000);
      await waitFor(async () => (await offline(page).innerText()).includes('no longer paired'), {
        message: 'the revoked-screen message',
      });
      await page.screenshot({ path: join(SHOTS, 'staff-kiosk-revoked-1280.png') });
    } finally {
      await context2.close();
    }
  });
});
