// Labelling on /teach in real Chromium against the running daemon with teach.capture on: the
// captured frames listed, one opened in the box editor, its pre-labels deleted with the keyboard,
// boxes drawn, moved and resized with the mouse, a label changed with a digit key, a box deleted,
// marked done with "d" — and the card on disk says exactly that.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { capturedDir } from '../../src/teach/capture.js';
import type { FrameCard } from '../../src/teach/frame-card.js';
import { assertBuilt } from '../helpers/built.js';
import { launchChromium, setAdminPassword, setupLinkIn } from '../helpers/chromium.js';
import { CLI, ROOT, runCli, tempDir, type DaemonProc } from '../helpers/daemon.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { writeTeachConfig } from './daemon-config.js';

const dir = tempDir();
const dataDir = join(dir, 'data');
let daemon: DaemonProc | null = null;
let browser: Browser | null = null;
afterAll(async () => {
  await browser?.close();
  await daemon?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Page coordinates of a point given in frame pixels. */
async function pagePoint(page: Page, x: number, y: number): Promise<[number, number]> {
  const r = await page.locator('#canvas').boundingBox();
  const w = await page.locator('#canvas').evaluate((c: { width: number }) => c.width);
  if (!r) throw new Error('canvas not shown');
  const s = r.width / w;
  return [r.x + x * s, r.y + y * s];
}

async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  await page.mouse.move(...(await pagePoint(page, ...from)));
  await page.mouse.down();
  await page.mouse.move(...(await pagePoint(page, (from[0] + to[0]) / 2, (from[1] + to[1]) / 2)));
  await page.mouse.move(...(await pagePoint(page, ...to)));
  await page.mouse.up();
}

/** An element as far as these checks need (the test build has no DOM types). */
interface Tagged {
  getAttribute(name: string): string | null;
}

const near = (got: number[], want: number[]): void => {
  expect(got).toHaveLength(4);
  got.forEach((v, i) =>
    expect(
      Math.abs(v - (want[i] as number)),
      `${JSON.stringify(got)} vs ${JSON.stringify(want)}`,
    ).toBeLessThanOrEqual(2),
  );
};

describe('/teach labelling', () => {
  it('labels a captured frame with the mouse and the keyboard, and saves it done', async () => {
    assertBuilt(CLI);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const config = writeTeachConfig(dir, {
      store: { id: 'labelpage', name: 'Label page' },
      dataDir,
      dashboardPort: port,
      teach: { capture: true, captureEveryNthTray: 1 },
    });
    daemon = runCli(['run', '--config', config]);
    const setup = await daemon.waitForLog((l) => l.msg.includes('/setup?token='), 60_000, 'setup link');
    const out = capturedDir(dataDir);
    const jpgs = (): string[] => (existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.jpg')) : []);
    await waitFor(() => jpgs().length >= 2, { timeoutMs: 90_000, message: 'two frames captured' });

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await setAdminPassword(page, setupLinkIn(setup.msg), 'label-the-frames-2026', base);

    await page.goto(`${base}/teach`);
    await page.locator('#capture-state', { hasText: 'Capture is on' }).waitFor();
    const first = page.locator('#frame-list .frame-card').first();
    await first.waitFor();
    const id = (await first.getAttribute('data-id')) as string;
    await first.click();
    await page.locator('#editor').waitFor();
    await page.locator('#palette button').first().waitFor();
    const labels = (await page
      .locator('#palette button')
      .evaluateAll((bs: Tagged[]) => bs.map((b) => b.getAttribute('data-label')))) as string[];
    expect(labels.length).toBeGreaterThanOrEqual(3);

    // The model's pre-labels (a settled tray: at least the tray), each selected and deleted by key.
    const list = page.locator('#box-list li');
    const preLabels = await list.count();
    expect(preLabels).toBeGreaterThanOrEqual(1);
    for (let i = preLabels; i > 0; i--) {
      await list.first().click();
      await page.keyboard.press(i % 2 ? 'Delete' : 'Backspace');
      await waitFor(async () => (await list.count()) === i - 1, { message: 'a box deleted' });
    }

    // Key 1 picks the first label for new boxes; three boxes drawn with the mouse.
    await page.keyboard.press('1');
    await drag(page, [20, 20], [120, 100]);
    await drag(page, [200, 150], [260, 200]);
    await drag(page, [300, 40], [340, 90]);
    await waitFor(async () => (await list.count()) === 3, { message: 'three boxes drawn' });
    expect(await list.evaluateAll((ls: Tagged[]) => ls.map((l) => l.getAttribute('data-label')))).toEqual([
      labels[0],
      labels[0],
      labels[0],
    ]);
    // The third is selected (just drawn): Delete removes it. Then the second gets label 3 by key.
    await page.keyboard.press('Delete');
    await waitFor(async () => (await list.count()) === 2, { message: 'the third box deleted' });
    await list.nth(1).click();
    await page.keyboard.press('3');
    await waitFor(
      async () =>
        (await list.evaluateAll((ls: Tagged[]) => ls.map((l) => l.getAttribute('data-label')))).join() ===
        [labels[0], labels[2]].join(),
      { message: 'the second box relabelled by key 3' },
    );
    // Move the first box by 20 px each way, then drag its bottom-right corner further out.
    await drag(page, [70, 60], [90, 80]);
    await drag(page, [140, 120], [160, 130]);

    const shots = join(ROOT, 'test-artifacts', 'screenshots');
    mkdirSync(shots, { recursive: true });
    await page.locator('#editor').screenshot({ path: join(shots, 'teach-label-1280.png') });
    await page.keyboard.press('d');
    const file = join(out, `${id}.json`);
    const read = (): FrameCard => JSON.parse(readFileSync(file, 'utf8')) as FrameCard;
    await waitFor(() => read().state === 'done', { message: 'the frame saved done' });
    const card = read();
    expect(card.labelledBy).toBe('admin');
    expect(card.boxes.map((b) => b.label)).toEqual([labels[0], labels[2]]);
    near(card.boxes[0]?.box as number[], [40, 40, 160, 130]);
    near(card.boxes[1]?.box as number[], [200, 150, 260, 200]);
    // "d" moved on to the next frame.
    await waitFor(
      async () => ![id, undefined, null].includes(await page.locator('#editor').getAttribute('data-id')),
      {
        message: 'the next frame opened',
      },
    );
    expect(errors).toEqual([]);
  }, 240_000);
});
