// teach.capture: a bounded sample of the store's own settled-tray frames, each with the running
// model's detections as YOLO pre-labels, in <dataDir>/teach/frames/captured/. They are drafts
// for labelling (the model's own guesses are not truth): reviewed frames go into
// teach/frames/{images,labels}/{train,heldout}/, which train and compare read. Old and surplus
// frames are deleted (count, bytes, age).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { TeachConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Detection, Frame, FrameDetections } from '../types.js';
import { teachDir } from './sprites.js';

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
export const capturedDir = (dataDir: string): string => join(teachDir(dataDir), 'frames', 'captured');

export function yoloPreLabels(dets: Detection[], labels: string[], w: number, h: number): string {
  return dets
    .map((d) => {
      const c = labels.indexOf(d.label);
      if (c < 0) return '';
      const [x1, y1, x2, y2] = d.box;
      const v = [(x1 + x2) / 2 / w, (y1 + y2) / 2 / h, (x2 - x1) / w, (y2 - y1) / h];
      return `${c} ${v.map((n) => n.toFixed(6)).join(' ')}\n`;
    })
    .join('');
}

/** Deletes captured frames older than the retention, then the oldest beyond the count and byte caps. */
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
    ['.jpg', '.txt'].reduce(
      (s, ext) => s + (existsSync(join(dir, stem + ext)) ? statSync(join(dir, stem + ext)).size : 0),
      0,
    );
  const sizes = new Map(stems.map((s) => [s, size(s)]));
  let bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  const cutoff = now - config.captureRetentionDays * 24 * HOUR_MS;
  const remove = (stem: string): void => {
    for (const ext of ['.jpg', '.txt']) rmSync(join(dir, stem + ext), { force: true });
    bytes -= sizes.get(stem) ?? 0;
  };
  const kept = stems.filter((stem) => {
    const f = join(dir, `${stem}.jpg`);
    const old = statSync(f).mtimeMs < cutoff;
    if (old) remove(stem);
    return !old;
  });
  while (kept.length && (kept.length > config.captureMaxFrames || bytes > config.captureMaxBytes))
    remove(kept.shift() as string);
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
    mkdirSync(dir, { recursive: true });
    const stem = `${new Date(now()).toISOString().replace(/[-:.]/g, '')}-${cameraId}-${trayId.replace(/[^\w-]/g, '_')}`;
    const jpeg = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const labels = deps.labels();
    writeFileSync(
      join(dir, `${stem}.txt`),
      yoloPreLabels(dets.detections, labels, frame.width, frame.height),
    );
    writeFileSync(join(dir, `${stem}.jpg`), jpeg);
    writeFileSync(join(dir, 'classes.txt'), `${labels.join('\n')}\n`);
    captured++;
    last = pruneCaptured(dir, config, now());
  }

  return {
    start() {
      if (!config.capture) return;
      last = pruneCaptured(dir, config, now());
      offs.push(deps.bus.on('detections', 'teach-capture', (d) => void lastDetections.set(d.cameraId, d)));
      offs.push(
        deps.bus.on('tray', 'teach-capture', (t) => {
          if (t.phase !== 'settled' || settled++ % config.captureEveryNthTray !== 0) return;
          writing = writing
            .then(() => keep(t.cameraId, t.trayId))
            .catch((err: unknown) => log.warn({ err }, 'could not keep a frame for teaching'));
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
