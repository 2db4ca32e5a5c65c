// The staff screen's "False alarm" button in real Chromium against a real dashboard: the alert
// resolves as a false alarm, and the frame behind it is kept for teaching when teach.capture is
// on (the real capture on the real event bus), and not when it is off.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeachSection } from '../../src/config/sections/teach.js';
import type { TeachConfig } from '../../src/config/schema.js';
import { capturedDir, createFrameCapture, type FrameCapture } from '../../src/teach/capture.js';
import { readCard } from '../../src/teach/frame-card.js';
import { silentLogger } from '../../src/log.js';
import { launchChromium } from '../helpers/chromium.js';
import { ROOT } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { makeVerdict } from './fake-alerts.js';
import { setupAdmin, startHarness, type Harness, type Session } from './harness.js';

let h: Harness;
let browser: Browser;
let admin: Session;
let capture: FrameCapture | null = null;

beforeAll(async () => {
  h = await startHarness();
  admin = await setupAdmin(h);
  const { data, info } = await sharp({
    create: { width: 96, height: 72, channels: 3, background: '#a05030' },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  h.state.frame = { cameraId: 'expo', seq: 1, ts: Date.now(), width: info.width, height: info.height, data };
  browser = await launchChromium();
});
afterAll(async () => {
  await capture?.stop();
  await browser?.close();
  await h?.stop();
});

function startCapture(on: boolean): FrameCapture {
  const c = createFrameCapture({
    dataDir: h.dir,
    config: { ...(Value.Default(TeachSection, {}) as TeachConfig), capture: on },
    bus: h.bus,
    latestFrame: () => h.state.frame,
    labels: () => ['tray', 'burger', 'fries', 'drink'],
    log: silentLogger(),
  });
  c.start();
  h.bus.emit('detections', {
    cameraId: 'expo',
    seq: 1,
    ts: Date.now(),
    width: 96,
    height: 72,
    inferenceMs: 4,
    detections: [{ label: 'fries', score: 0.7, box: [20, 20, 50, 40] }],
  });
  return c;
}

const frames = (): string[] =>
  existsSync(capturedDir(h.dir)) ? readdirSync(capturedDir(h.dir)).filter((f) => f.endsWith('.jpg')) : [];

async function markFalseAlarm(page: Page, orderId: string): Promise<number> {
  const a = h.alerts.raise(
    makeVerdict({
      orderId,
      trayId: `expo-${orderId}`,
      missing: { fries: 1 },
      expected: { fries: 1, drink: 1 },
    }),
  );
  const card = page.locator(`.card.alert[data-id="${a.id}"]`);
  await card.locator('button.false-alarm').click();
  // The other button steps aside during the 5 s to undo.
  await card.locator('button.ack').waitFor({ state: 'hidden' });
  await card.locator('button.false-alarm:has-text("Undo")').waitFor();
  await card.waitFor({ state: 'detached', timeout: 10_000 });
  expect(h.alerts.get(a.id)).toMatchObject({
    status: 'resolved',
    resolution: 'false-alarm',
    acknowledgedBy: 'admin',
  });
  return a.id;
}

describe('False alarm on the staff screen', () => {
  it('resolves the alert; keeps its frame with capture on, none with capture off; undo keeps it open', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'traycheck_session', value: admin.cookie, url: h.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(h.url);
    await page.waitForSelector('body[data-ready="1"][data-conn="live"]', { timeout: 10_000 });

    // A mistaken tap taken back: the alert stays open and both buttons come back.
    const kept = h.alerts.raise(makeVerdict({ orderId: '500', trayId: 'expo-500', missing: { fries: 1 } }));
    const keptCard = page.locator(`.card.alert[data-id="${kept.id}"]`);
    await keptCard.waitFor();
    mkdirSync(join(ROOT, 'test-artifacts', 'screenshots'), { recursive: true });
    await page.screenshot({
      path: join(ROOT, 'test-artifacts', 'screenshots', 'staff-false-alarm-1280.png'),
    });
    await keptCard.locator('button.false-alarm').click();
    await keptCard.locator('button.false-alarm:has-text("Undo")').click();
    await keptCard.locator('button.ack:has-text("Acknowledge")').waitFor();
    await keptCard.locator('button.false-alarm:has-text("False alarm")').waitFor();
    expect(h.alerts.get(kept.id)?.status).toBe('open');

    capture = startCapture(true);
    const on = await markFalseAlarm(page, '501');
    await waitFor(() => frames().length === 1, { message: 'the false alarm frame kept' });
    const stem = (frames()[0] as string).slice(0, -4);
    expect(readCard(capturedDir(h.dir), stem)).toMatchObject({
      reason: 'false-alarm',
      alertId: on,
      orderItems: ['fries', 'drink'],
      boxes: [{ label: 'fries', box: [20, 20, 50, 40] }],
      state: 'to-label',
    });
    await capture.stop();

    capture = startCapture(false);
    await markFalseAlarm(page, '502');
    await capture.stop();
    expect(frames()).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
