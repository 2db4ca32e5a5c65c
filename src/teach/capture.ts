// teach.capture: a bounded sample of the store's own settled-tray frames, and the frames behind
// alerts staff mark as a false alarm (alert-frames.ts), each with the running model's detections
// as pre-labels, in <dataDir>/teach/frames/captured/ (frame-card.ts). They are drafts for
// labelling on /teach (the model's own guesses are not truth); frames labelled done feed
// training. Old and surplus frames are deleted (count, bytes, age); labelled ones go last.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TeachConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Frame, FrameDetections } from '../types.js';
import { watchAlertFrames } from './alert-frames.js';
import { frameStem, keepFrame, readCard, toJpeg } from './frame-card.js';
import { teachDir } from './sprites.js';

export { yoloPreLabels } from './frame-card.js';

export interface CaptureDeps {
  dataDir: string;
  config: TeachConfig;
  bus: EventBus;
  latestFrame(cameraId: string): Frame | null;
  /** The running model's labels, in class order (YOLO class ids). */
  labels(): string[];
  log: Logger;
  now?: () => number;
}

export interface FrameCapture {
  start(): void;
  stop(): Promise<void>;
  stats(): { captured: number; kept: number; bytes: number };
}

const HOUR_MS = 3_600_000;
/** What one captured frame is on disk: the image, the model's YOLO pre-labels, its card. */
const FILES = ['.jpg', '.txt', '.json'];
export const capturedDir = (dataDir: string): string => join(teachDir(dataDir), 'frames', 'captured');

/**
 * Deletes captured frames older than the retention, then beyond the count and byte caps the
 * oldest not labelled done first (someone's labelling work goes last).
 */
export function pruneCaptured(
  dir: string,
  config: TeachConfig,
  now: number,
): { kept: number; bytes: number } {
  if (!existsSync(dir)) return { kept: 0, bytes: 0 };
  // File names start with the capture time, so name order is age order.
  const stems = readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => f.slice(0, -4))
    .sort();
  const size = (stem: string): number =>
    FILES.reduce(
      (s, ext) => s + (existsSync(join(dir, stem + ext)) ? statSync(join(dir, stem + ext)).size : 0),
      0,
    );
  const sizes = new Map(stems.map((s) => [s, size(s)]));
  let bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  const cutoff = now - config.captureRetentionDays * 24 * HOUR_MS;
  const remove = (stem: string): void => {
    for (const ext of FILES) rmSync(join(dir, stem + ext), { force: true });
    bytes -= sizes.get(stem) ?? 0;
  };
  const kept = stems.filter((stem) => {
    const f = join(dir, `${stem}.jpg`);
    const old = statSync(f).mtimeMs < cutoff;
    if (old) remove(stem);
    return !old;
  });
  const over = (): boolean => kept.length > config.captureMaxFrames || bytes > config.captureMaxBytes;
  if (!over()) return { kept: kept.length, bytes };
  const done = new Set(kept.filter((stem) => readCard(dir, stem)?.state === 'done'));
  const order = [...kept.filter((s) => !done.has(s)), ...kept.filter((s) => done.has(s))];
  while (order.length && over()) {
    const stem = order.shift() as string;
    remove(stem);
    kept.splice(kept.indexOf(stem), 1);
  }
  return { kept: kept.length, bytes };
}

export function createFrameCapture(deps: CaptureDeps): FrameCapture {
  const { config, log } = deps;
  const dir = capturedDir(deps.dataDir);
  const now = deps.now ?? Date.now;
  const lastDetections = new Map<string, FrameDetections>();
  const offs: Array<() => void> = [];
  let settled = 0;
  let captured = 0;
  let last = { kept: 0, bytes: 0 };
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  async function keep(cameraId: string, trayId: string): Promise<void> {
    const frame = deps.latestFrame(cameraId);
    const dets = lastDetections.get(cameraId);
    if (!frame || !dets) return;
    keepFrame({
      dir,
      stem: frameStem(now(), cameraId, trayId),
      jpeg: await toJpeg(frame),
      width: frame.width,
      height: frame.height,
      detections: dets.detections,
      labels: deps.labels(),
      card: { capturedAt: now(), cameraId, trayId, reason: 'sample', alertId: null, orderItems: [] },
    });
    captured++;
    last = pruneCaptured(dir, config, now());
  }
  /** Serialised with the other writes, so pruning never races a write. */
  const queue = (what: () => Promise<void>): void => {
    writing = writing
      .then(what)
      .catch((err: unknown) => log.warn({ err }, 'could not keep a frame for teaching'));
  };

  return {
    start() {
      if (!config.capture) return;
      last = pruneCaptured(dir, config, now());
      offs.push(deps.bus.on('detections', 'teach-capture', (d) => void lastDetections.set(d.cameraId, d)));
      offs.push(
        deps.bus.on('tray', 'teach-capture', (t) => {
          if (t.phase !== 'settled' || settled++ % config.captureEveryNthTray !== 0) return;
          queue(() => keep(t.cameraId, t.trayId));
        }),
      );
      offs.push(
        watchAlertFrames({
          bus: deps.bus,
          latestFrame: (cameraId) => deps.latestFrame(cameraId),
          detections: (cameraId) => lastDetections.get(cameraId),
          queue: (work) =>
            queue(async () => {
              await work();
              last = pruneCaptured(dir, config, now());
            }),
          keep: (k) => {
            keepFrame({ ...k, dir, labels: deps.labels() });
            captured++;
          },
          log,
          now,
        }),
      );
      timer = setInterval(() => (last = pruneCaptured(dir, config, now())), HOUR_MS);
      timer.unref();
      log.info(
        { dir, everyNthTray: config.captureEveryNthTray },
        'capturing settled-tray frames for teaching',
      );
    },
    async stop() {
      for (const off of offs.splice(0)) off();
      if (timer) clearInterval(timer);
      await writing;
    },
    stats: () => ({ captured, ...last }),
  };
}
