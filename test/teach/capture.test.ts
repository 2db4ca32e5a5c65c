// teach.capture: the daemon keeps settled-tray frames with the model's pre-labels; old and
// surplus frames are deleted by age, count and bytes.
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { capturedDir, pruneCaptured, yoloPreLabels } from '../../src/teach/capture.js';
import { assertBuilt } from '../helpers/built.js';
import { CLI, runCli, tempDir } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { writeTeachConfig } from './daemon-config.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const caps = {
  capture: true,
  captureEveryNthTray: 1,
  captureMaxFrames: 3,
  captureMaxBytes: 1_000_000,
  captureRetentionDays: 1,
};

describe('teach frame capture', () => {
  it('writes YOLO pre-labels in the model class order, skipping labels it does not know', () => {
    const text = yoloPreLabels(
      [
        { label: 'burger', score: 0.9, box: [100, 50, 200, 150] },
        { label: 'ghost', score: 0.9, box: [0, 0, 10, 10] },
      ],
      ['tray', 'burger'],
      400,
      200,
    );
    expect(text).toBe('1 0.375000 0.500000 0.250000 0.500000\n');
  });

  it('deletes frames past the retention, then the oldest beyond the count and byte caps', () => {
    const dir = tempDir();
    dirs.push(dir);
    const now = Date.now();
    for (let i = 0; i < 6; i++) {
      writeFileSync(join(dir, `2026120${i}-cam-t${i}.jpg`), Buffer.alloc(1000 * (i + 1)));
      writeFileSync(join(dir, `2026120${i}-cam-t${i}.txt`), '0 0.5 0.5 0.1 0.1\n');
    }
    const twoDaysAgo = (now - 2 * 86_400_000) / 1000;
    utimesSync(join(dir, '20261200-cam-t0.jpg'), twoDaysAgo, twoDaysAgo);
    const kept = pruneCaptured(dir, caps, now);
    expect(readdirSync(dir).sort()).toEqual(
      ['20261203-cam-t3', '20261204-cam-t4', '20261205-cam-t5'].flatMap((s) => [`${s}.jpg`, `${s}.txt`]),
    );
    expect(kept.kept).toBe(3);
    const byBytes = pruneCaptured(dir, { ...caps, captureMaxBytes: 11_000 }, now);
    expect(byBytes.kept).toBe(1);
    expect(byBytes.bytes).toBeLessThanOrEqual(11_000);
  });

  it('keeps settled-tray frames of the running daemon with the model pre-labels', async () => {
    assertBuilt(CLI);
    const dir = tempDir();
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    const config = writeTeachConfig(dir, {
      store: { id: 'capture', name: 'Capture test' },
      dataDir,
      dashboardPort: null,
      teach: { ...caps, captureMaxFrames: 2 },
    });
    const daemon = runCli(['run', '--config', config]);
    try {
      const out = capturedDir(dataDir);
      const jpgs = (): string[] =>
        existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.jpg')) : [];
      // Frames keep coming as trays settle; the oldest go so that two are kept.
      const seen = new Set<string>();
      await waitFor(
        () => {
          const now = jpgs();
          for (const f of now) seen.add(f);
          return seen.size >= 3 && now.length === 2;
        },
        { timeoutMs: 60_000, message: 'three captured frames, two kept' },
      );
      const first = jpgs()[0] as string;
      const meta = await sharp(join(out, first)).metadata();
      expect([meta.width, meta.height]).toEqual([640, 360]);
      const labels = readFileSync(join(out, first.replace('.jpg', '.txt')), 'utf8')
        .trim()
        .split('\n');
      expect(labels.length).toBeGreaterThan(0);
      for (const l of labels) expect(l).toMatch(/^\d+ 0\.\d{6} 0\.\d{6} [01]\.\d{6} [01]\.\d{6}$/);
      expect(readFileSync(join(out, 'classes.txt'), 'utf8').split('\n')[0]).toBe('tray');
    } finally {
      await daemon.stop();
    }
  }, 90_000);
});
