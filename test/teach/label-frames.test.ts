// Frames for labelling: the frames behind an alert kept when staff call it a false alarm (with
// capture on, and only then), pruning that keeps labelled frames last, and training that takes
// the frames labelled done (never excluded or held-out ones). Real SQLite, bus, alerts stage,
// JPEG files.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlerts } from '../../src/alerts/index.js';
import { TeachSection } from '../../src/config/sections/teach.js';
import type { TeachConfig } from '../../src/config/schema.js';
import { createEventBus } from '../../src/events.js';
import { silentLogger } from '../../src/log.js';
import { openDatabase } from '../../src/store/db.js';
import { capturedDir, createFrameCapture, pruneCaptured } from '../../src/teach/capture.js';
import { frameStem, keepFrame, readCard, writeCard, type FrameCard } from '../../src/teach/frame-card.js';
import { storeHeldOut } from '../../src/teach/compare.js';
import { addLabelledFrames } from '../../src/teach/train-data.js';
import type { Frame, Verdict } from '../../src/types.js';
import { tempDir } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const LABELS = ['tray', 'burger', 'fries', 'drink'];
const cleanup: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
const teach = (o: Partial<TeachConfig> = {}): TeachConfig => ({
  ...(Value.Default(TeachSection, {}) as TeachConfig),
  ...o,
});

async function daemonParts(capture: boolean) {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'traycheck.db'));
  const log = silentLogger();
  const bus = createEventBus(log);
  const alerts = createAlerts({ db, bus, log });
  const { data, info } = await sharp({
    create: { width: 80, height: 60, channels: 3, background: '#804020' },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const frame: Frame = {
    cameraId: 'expo',
    seq: 1,
    ts: Date.now(),
    width: info.width,
    height: info.height,
    data,
  };
  const capturer = createFrameCapture({
    dataDir: dir,
    config: teach({ capture, captureEveryNthTray: 1000 }),
    bus,
    latestFrame: () => frame,
    labels: () => LABELS,
    log,
  });
  alerts.start();
  capturer.start();
  cleanup.push(async () => {
    await capturer.stop();
    await alerts.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  bus.emit('detections', {
    cameraId: 'expo',
    seq: 1,
    ts: Date.now(),
    width: 80,
    height: 60,
    inferenceMs: 5,
    detections: [
      { label: 'tray', score: 0.9, box: [2, 2, 78, 58] },
      { label: 'burger', score: 0.8, box: [10, 10, 30, 30] },
    ],
  });
  const verdict = (trayId: string): Verdict => ({
    trayId,
    cameraId: 'expo',
    orderId: '77',
    link: 'ready',
    result: 'mismatch',
    expected: { burger: 1, fries: 1, drink: 0 },
    observed: { burger: 1 },
    missing: { fries: 1 },
    extra: {},
    unverifiable: [],
    uncertain: [],
    ts: Date.now(),
  });
  return { dir, alerts, capturer, verdict };
}

const jpgs = (dir: string): string[] =>
  existsSync(capturedDir(dir)) ? readdirSync(capturedDir(dir)).filter((f) => f.endsWith('.jpg')) : [];

describe('false-alarm frames', () => {
  it('with capture on, the frame behind a false alarm is kept, pre-labelled, with its reason and order', async () => {
    const p = await daemonParts(true);
    const acked = p.alerts.handleVerdict(p.verdict('expo-1'));
    p.alerts.acknowledge(acked!.id, 'kim');
    const a = p.alerts.handleVerdict(p.verdict('expo-2'));
    p.alerts.falseAlarm(a!.id, 'sam');
    await waitFor(() => jpgs(p.dir).length > 0, { message: 'the false alarm frame kept' });
    await p.capturer.stop();
    const [jpg] = jpgs(p.dir);
    expect(jpgs(p.dir)).toHaveLength(1); // the acknowledged alert's frame was not kept
    expect(jpg).toMatch(new RegExp(`-expo-alert${a!.id}-1\\.jpg$`));
    const stem = (jpg as string).slice(0, -4);
    expect(readCard(capturedDir(p.dir), stem)).toMatchObject({
      reason: 'false-alarm',
      alertId: a!.id,
      trayId: 'expo-2',
      orderItems: ['burger', 'fries'],
      state: 'to-label',
      width: 80,
      height: 60,
      boxes: [
        { label: 'tray', box: [2, 2, 78, 58] },
        { label: 'burger', box: [10, 10, 30, 30] },
      ],
    });
    const meta = await sharp(join(capturedDir(p.dir), jpg as string)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 80, 60]);
    expect(
      readFileSync(join(capturedDir(p.dir), `${stem}.txt`), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2);
  });

  it('with capture off (the default), a false alarm keeps nothing', async () => {
    const p = await daemonParts(false);
    const a = p.alerts.handleVerdict(p.verdict('expo-1'));
    expect(p.alerts.falseAlarm(a!.id, 'sam')).toMatchObject({ resolution: 'false-alarm' });
    await p.capturer.stop();
    expect(existsSync(capturedDir(p.dir))).toBe(false);
  });
});

function writeFrames(dir: string, n: number, bytes = 1000): string[] {
  const out = capturedDir(dir);
  return Array.from({ length: n }, (_, i) => {
    const stem = frameStem(Date.now() - (n - i) * 1000, 'expo', `expo-${i}`);
    keepFrame({
      dir: out,
      stem,
      jpeg: Buffer.alloc(bytes),
      width: 100,
      height: 50,
      labels: LABELS,
      detections: [{ label: 'fries', score: 0.9, box: [10, 10, 30, 20] }],
      card: {
        capturedAt: Date.now(),
        cameraId: 'expo',
        trayId: `expo-${i}`,
        reason: 'sample',
        alertId: null,
        orderItems: [],
      },
    });
    return stem;
  });
}
const setState = (dir: string, stem: string, state: FrameCard['state'], split?: FrameCard['split']): void => {
  const card = readCard(capturedDir(dir), stem) as FrameCard;
  writeCard(capturedDir(dir), stem, { ...card, state, split: split ?? card.split });
};

describe('captured frames on disk', () => {
  it('beyond the caps, frames not labelled done go first; a frame goes with its card', () => {
    const dir = tempDir();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const stems = writeFrames(dir, 5);
    setState(dir, stems[0] as string, 'done');
    setState(dir, stems[1] as string, 'done');
    const kept = pruneCaptured(capturedDir(dir), teach({ captureMaxFrames: 3 }), Date.now());
    expect(kept.kept).toBe(3);
    const left = readdirSync(capturedDir(dir)).filter((f) => f !== 'classes.txt');
    expect(left.sort()).toEqual(
      [stems[0], stems[1], stems[4]].flatMap((s) => [`${s}.jpg`, `${s}.json`, `${s}.txt`]).sort(),
    );
  });

  it('training takes the frames labelled done in the train split, 4 times, in the dataset class order', () => {
    const dir = tempDir();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const stems = writeFrames(dir, 4);
    setState(dir, stems[0] as string, 'done', 'train');
    setState(dir, stems[1] as string, 'excluded', 'train');
    setState(dir, stems[2] as string, 'done', 'heldout');
    // stems[3] stays to label.
    const data = join(dir, 'run', 'data');
    for (const d of ['images/train', 'labels/train']) mkdirSync(join(data, d), { recursive: true });
    writeFileSync(join(data, 'classes.txt'), 'burger\nfries\ntray\n');
    expect(addLabelledFrames(dir, data)).toBe(1);
    const labels = readdirSync(join(data, 'labels', 'train')).sort();
    expect(labels).toEqual([0, 1, 2, 3].map((k) => `labelled-${stems[0]}-${k}.txt`));
    expect(readdirSync(join(data, 'images', 'train'))).toHaveLength(4);
    // fries is class 1 in this dataset (2 in the model): box [10,10,30,20] on 100x50.
    expect(readFileSync(join(data, 'labels', 'train', labels[0] as string), 'utf8')).toBe(
      '1 0.200000 0.300000 0.200000 0.200000\n',
    );
  });

  it('compare scores on the done held-out frames, with frames already placed keeping their class ids', () => {
    const dir = tempDir();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const stems = writeFrames(dir, 3);
    expect(storeHeldOut(dir)).toBeNull();
    setState(dir, stems[0] as string, 'done', 'heldout');
    setState(dir, stems[1] as string, 'excluded', 'heldout');
    setState(dir, stems[2] as string, 'done', 'train');
    const placed = join(dir, 'teach', 'frames');
    for (const d of ['images/heldout', 'labels/heldout']) mkdirSync(join(placed, d), { recursive: true });
    writeFileSync(join(placed, 'classes.txt'), 'drink\n');
    writeFileSync(join(placed, 'images', 'heldout', 'old.jpg'), 'x');
    writeFileSync(join(placed, 'labels', 'heldout', 'old.txt'), '0 0.5 0.5 0.1 0.1\n');
    const out = storeHeldOut(dir) as string;
    expect(readFileSync(join(out, 'classes.txt'), 'utf8')).toBe('drink\nfries\n');
    expect(readdirSync(join(out, 'labels', 'heldout')).sort()).toEqual([`${stems[0]}.txt`, 'placed-old.txt']);
    expect(readFileSync(join(out, 'labels', 'heldout', `${stems[0]}.txt`), 'utf8')).toBe(
      '1 0.200000 0.300000 0.200000 0.200000\n',
    );
    expect(readdirSync(join(out, 'images', 'heldout')).sort()).toEqual([`${stems[0]}.jpg`, 'placed-old.jpg']);
  });
});
