// End to end against the running product: `traycheck demo` (real daemon, embedded broker,
// simulated POS + camera through ffmpeg, the shipped model) playing test/scenarios/basic.yaml,
// driven in real Chromium: setup link → alert card for the missing fries → acknowledge →
// the corrected tray's alert shows "Fixed" and leaves; no request to another host.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium, setAdminPassword, setupLinkIn } from '../helpers/chromium.js';
import { freePort } from '../helpers/ports.js';
import { ROOT, runCli, tempDir, writeConfig, type DaemonProc } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
let browser: Browser | null = null;
let demo: DaemonProc | null = null;
const dir = tempDir();

afterAll(async () => {
  await browser?.close();
  await demo?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard against the running demo daemon', () => {
  it('shows a real mismatch, takes an acknowledgement, and clears a corrected tray', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [port, mqttPort] = [await freePort(), await freePort()];
    const cfg = writeConfig(dir, {
      store: { id: 'e2e', name: 'E2E Counter' },
      cameras: [{ id: 'counter', source: 'sim:builtin', fps: 5 }],
      detector: { model: join(ROOT, 'models', 'traycheck-det.onnx') },
      menu: {
        COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 } },
        COMBO2: { name: 'Nugget Meal', contains: { nuggets: 1, fries: 1, drink: 1, sauce: 1 } },
        WRAP: { name: 'Chicken Wrap', contains: { wrap: 1 } },
        DRINK: { name: 'Drink', contains: { drink: 1 } },
      },
      storage: { dataDir: join(dir, 'data') },
      logging: { level: 'info', pretty: false },
    });
    demo = runCli([
      'demo',
      '--config',
      cfg,
      '--scenario',
      join(ROOT, 'test', 'scenarios', 'basic.yaml'),
      '--port',
      String(port),
      '--mqtt-port',
      String(mqttPort),
    ]);
    const setupLine = await demo.waitForLog((l) => l.msg.includes('/setup?token='), 60_000, 'setup link');
    const setupUrl = setupLinkIn(setupLine.msg);
    const base = `http://127.0.0.1:${port}`;

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await setAdminPassword(page, setupUrl, 'counter-tablet-2026', base);

    // Tray B of the scenario is a Burger Meal without its fries.
    const missingFries = page.locator('.card.alert', { hasText: 'Missing: 1 × Fries' }).first();
    await missingFries.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, 'daemon-alert.png') });
    await missingFries.locator('button.ack').click();
    await missingFries.waitFor({ state: 'detached', timeout: 10_000 });

    // Tray D is missing its dip, then fixed: its alert shows "Fixed" and leaves by itself.
    const fixed = page.locator('.card.alert.fixed').first();
    await fixed.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, 'daemon-fixed.png') });
    await fixed.waitFor({ state: 'detached', timeout: 15_000 });

    // /tech on the real daemon: the broker test round-trips on its own MQTT connection (embedded
    // broker), and the camera reconnect restarts its source and is logged with who asked.
    const tech = await page.evaluate(async () => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const post = async (url: string) => {
        const r = await fetch(url, { method: 'POST', headers: { 'x-csrf-token': me.csrfToken } });
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      };
      return {
        broker: await post('/api/tech/broker-test'),
        camera: await post('/api/cameras/counter/reconnect'),
      };
    });
    expect(tech.broker).toMatchObject({ status: 200, body: { ok: true, error: null } });
    expect(tech.broker.body.latencyMs).toBeGreaterThan(0);
    expect(tech.camera).toMatchObject({ status: 202, body: { cameraId: 'counter', requestedBy: 'admin' } });
    await demo.waitForLog((l) => l.msg === 'camera reconnect requested on /tech', 10_000, 'audit line');
    await demo.waitForLog((l) => l.msg === 'reconnecting the camera on request', 10_000, 'camera restart');

    // Unauthenticated mutations are refused.
    const res = await fetch(`${base}/api/alerts/1/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:'))).toEqual([]);

    const { code } = await demo.stop('SIGINT');
    expect(code).toBe(0);
    await waitFor(() => demo?.lines.some((l) => l.msg === 'stopped cleanly'), {
      message: 'clean stop logged',
    });
  }, 180_000);
});
