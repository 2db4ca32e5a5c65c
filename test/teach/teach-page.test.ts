// /teach in real Chromium against the running daemon: sprites shown, a trained candidate
// promoted with the button (the detector switches between frames), rolled back; the API needs
// an admin session and the CSRF header.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../src/teach/registry.js';
import { assertBuilt } from '../helpers/built.js';
import { launchChromium, setAdminPassword, setupLinkIn } from '../helpers/chromium.js';
import { CLI, ROOT, runCli, tempDir, type DaemonProc } from '../helpers/daemon.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { cli } from './cli.js';
import { writeTeachConfig } from './daemon-config.js';
import { SHIPPED, shippedWith } from './models.js';
import { menuPhoto } from './photos.js';

const dir = tempDir();
const dataDir = join(dir, 'data');
let daemon: DaemonProc | null = null;
let browser: Browser | null = null;
const runs: string[] = [];
afterAll(async () => {
  for (const r of runs) rmSync(join(ROOT, 'tools', 'train', 'runs', r), { recursive: true, force: true });
  await browser?.close();
  await daemon?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('/teach page', () => {
  it('cuts uploaded photos out, removes one, promotes a candidate, rolls back and trains a new candidate', async () => {
    assertBuilt(CLI);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const config = writeTeachConfig(dir, {
      store: { id: 'teachpage', name: 'Teach page' },
      dataDir,
      dashboardPort: port,
    });
    writeFileSync(
      join(dir, 'burger.jpg'),
      (await menuPhoto({ item: 'burger', seed: 4, backdrop: [62, 68, 80] })).jpeg,
    );
    expect(
      (await cli(['sprites', 'add', '--config', config, '--label', 'burger', join(dir, 'burger.jpg')])).code,
    ).toBe(0);
    const runDir = join(dataDir, 'teach', 'candidates', 'run-20261202T120000');
    mkdirSync(runDir, { recursive: true });
    const candidate = shippedWith(join(runDir, 'model.onnx'), { candidate: 'page' });
    const candidateSha = sha256File(candidate);
    writeFileSync(
      join(runDir, 'card.json'),
      JSON.stringify({
        sha256: candidateSha,
        version: 'page test',
        createdAt: new Date().toISOString(),
        data: { renderedFrames: 24, trainedMinutes: 0.4 },
      }),
    );

    daemon = runCli(['run', '--config', config]);
    const setup = await daemon.waitForLog((l) => l.msg.includes('/setup?token='), 60_000, 'setup link');
    const health = async (): Promise<string> =>
      (
        (await (await fetch(`${base}/api/health`)).json()) as {
          components: { model: { data: { sha256: string } } };
        }
      ).components.model.data.sha256;
    expect(await health()).toBe(sha256File(SHIPPED));
    expect((await fetch(`${base}/api/teach`)).status).toBe(401);

    browser = await launchChromium();
    const page = await browser.newPage();
    await setAdminPassword(page, setupLinkIn(setup.msg), 'teach-the-menu-2026', base);

    await page.goto(`${base}/teach`);
    const sprite = page.locator('img.sprite').first();
    await sprite.waitFor();
    await waitFor(
      () =>
        sprite.evaluate(
          (img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0,
        ),
      {
        message: 'sprite loaded',
      },
    );
    // Upload from the page: one photo cut out and shown, one refused with its reason; remove one.
    writeFileSync(
      join(dir, 'fries.jpg'),
      (await menuPhoto({ item: 'fries', seed: 6, backdrop: [62, 68, 80] })).jpeg,
    );
    writeFileSync(
      join(dir, 'tiny.png'),
      await sharp({ create: { width: 60, height: 60, channels: 3, background: '#445566' } })
        .png()
        .toBuffer(),
    );
    await page.selectOption('#label', 'fries');
    await page.setInputFiles('#photos', [join(dir, 'fries.jpg'), join(dir, 'tiny.png')]);
    await page.click('#upload button[type=submit]');
    await page.locator('#uploaded li.ok', { hasText: 'cut out fries.jpg' }).waitFor({ timeout: 30_000 });
    await page.locator('#uploaded li.refused', { hasText: 'tiny.png: too small' }).waitFor();
    await page.locator('h3', { hasText: 'fries (1)' }).waitFor();
    expect(
      readdirSync(join(dataDir, 'teach', 'sprites', 'fries')).filter((f) => f.endsWith('.png')),
    ).toHaveLength(1);
    await page.locator('figure.sprite-card').last().locator('button.remove').click();
    await page.locator('h3', { hasText: 'fries' }).waitFor({ state: 'detached' });
    expect(readdirSync(join(dataDir, 'teach', 'sprites', 'fries'))).toEqual([]);

    // A mutation without the CSRF header is refused even with the admin's session.
    expect((await page.request.post(`${base}/api/teach/rollback`)).status()).toBe(403);

    // Side by side: the candidate is the same network, so it scores the same and is not worse.
    await page.locator('tr[data-run="run-20261202T120000"] button.compare').click();
    await page
      .locator('#compare p.ok', { hasText: 'Not worse on synthetic frames' })
      .waitFor({ timeout: 120_000 });
    const cells = await page
      .locator('#compare table.compare tr', { hasText: 'mAP@0.5' })
      .locator('td')
      .allTextContents();
    expect(cells[1]).toMatch(/^0\.\d{3}$/);
    expect(cells[2]).toBe(cells[1]);

    await page.check('#force');
    await page.locator('tr[data-run="run-20261202T120000"] button.promote').click();
    await page.locator('#outcome', { hasText: 'promoted run-20261202T120000' }).waitFor({ timeout: 60_000 });
    expect(await health()).toBe(candidateSha);
    await page.locator('tr[data-run="run-20261202T120000"]', { hasText: 'running' }).waitFor();

    await page.click('#rollback');
    await page.locator('#outcome', { hasText: 'rolled back to' }).waitFor({ timeout: 60_000 });
    expect(await health()).toBe(sha256File(SHIPPED));
    await page.locator('#facts', { hasText: 'rollback' }).waitFor();
    expect(daemon.lines.filter((l) => l.msg === 'camera online')).toHaveLength(1);

    // A short training run started from the page: progress, then a new candidate to promote.
    await page.fill('#minutes', '0.2');
    await page.fill('#frames', '24');
    await page.click('#train button[type=submit]');
    await page.locator('#progress', { hasText: /training: / }).waitFor({ timeout: 30_000 });
    await page
      .locator('#progress', { hasText: 'training done: candidate run-' })
      .waitFor({ timeout: 150_000 });
    await waitFor(async () => (await page.locator('#candidates tr[data-run]').count()) === 2, {
      timeoutMs: 10_000,
      message: 'the trained candidate listed',
    });
    const trained = JSON.parse(readFileSync(join(dataDir, 'teach', 'train', 'state.json'), 'utf8')) as {
      run: string;
      params: { threads: number };
    };
    runs.push(`teach-teachpage-${trained.run}`);
    // The daemon runs cameras: training took one thread.
    expect(trained.params.threads).toBe(1);
  }, 400_000);
});
