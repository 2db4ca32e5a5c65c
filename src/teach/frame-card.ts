// A captured frame's card: the JSON beside its JPEG in teach/frames/captured/. It says why the
// frame was kept, what the tray's order asked for, the boxes (the model's pre-labels until
// someone labels it on /teach) and the labelling state. Training reads the frames marked done
// (train-data.ts); the split is fixed by the frame's name so a frame never moves between them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Box, Detection, Frame } from '../types.js';
import { writeJsonAtomic } from './registry.js';

export type FrameState = 'to-label' | 'done' | 'excluded';
/** sample: one settled tray in teach.captureEveryNthTray; false-alarm: staff marked its alert so. */
export type FrameReason = 'sample' | 'false-alarm';

export interface LabelBox {
  label: string;
  /** Pixels of the frame: x1, y1, x2, y2. */
  box: Box;
}

export interface FrameCard {
  version: 1;
  capturedAt: number;
  cameraId: string;
  trayId: string;
  reason: FrameReason;
  alertId: number | null;
  /** Detector labels the tray's order asked for, when known at capture. */
  orderItems: string[];
  width: number;
  height: number;
  state: FrameState;
  split: 'train' | 'heldout';
  boxes: LabelBox[];
  labelledBy: string | null;
  labelledAt: number | null;
}

/** A frame id: its file stem, `<capture time>-<camera>-<tray or alert>`. Names sort by age. */
export const FRAME_ID = /^[0-9]{8}T[0-9]{9}Z-[A-Za-z0-9_-]{1,160}$/;
export const FRAME_ID_PATTERN = FRAME_ID.source;

export function frameStem(at: number, cameraId: string, what: string): string {
  const safe = (s: string): string => s.replace(/[^\w-]/g, '_');
  return `${new Date(at).toISOString().replace(/[-:.]/g, '')}-${safe(cameraId)}-${safe(what)}`;
}

/** The capture time a frame's name starts with (epoch ms; 0 when it has none). */
export function stemTime(stem: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\d{3})Z/.exec(stem);
  if (!m) return 0;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/** One frame in five is held out (compare scores on them), the same one every time. */
export function splitOf(stem: string): 'train' | 'heldout' {
  return (createHash('sha256').update(stem).digest()[0] as number) < 52 ? 'heldout' : 'train';
}

export function readCard(dir: string, stem: string): FrameCard | null {
  const f = join(dir, `${stem}.json`);
  if (!existsSync(f)) return null;
  try {
    const card = JSON.parse(readFileSync(f, 'utf8')) as FrameCard;
    return card.version === 1 && Array.isArray(card.boxes) ? card : null;
  } catch {
    return null;
  }
}

export function writeCard(dir: string, stem: string, card: FrameCard): void {
  writeJsonAtomic(join(dir, `${stem}.json`), card);
}

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

export interface KeepFrame {
  dir: string;
  stem: string;
  /** The frame as a JPEG (encoded when it was seen: the camera's buffer is not kept). */
  jpeg: Buffer;
  width: number;
  height: number;
  detections: Detection[];
  /** The running model's labels in class order. */
  labels: string[];
  card: Pick<FrameCard, 'capturedAt' | 'cameraId' | 'trayId' | 'reason' | 'alertId' | 'orderItems'>;
}

export const toJpeg = (frame: Frame): Promise<Buffer> =>
  sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();

/** Writes the JPEG, the model's YOLO pre-labels (.txt) and the card (.json, state to-label). */
export function keepFrame(k: KeepFrame): void {
  mkdirSync(k.dir, { recursive: true });
  const known = k.detections.filter((d) => k.labels.includes(d.label));
  writeFileSync(join(k.dir, `${k.stem}.txt`), yoloPreLabels(known, k.labels, k.width, k.height));
  writeCard(k.dir, k.stem, {
    version: 1,
    ...k.card,
    width: k.width,
    height: k.height,
    state: 'to-label',
    split: splitOf(k.stem),
    boxes: known.map((d) => ({
      label: d.label,
      box: d.box.map((v, i) => Math.round(Math.min(Math.max(v, 0), i % 2 ? k.height : k.width))) as Box,
    })),
    labelledBy: null,
    labelledAt: null,
  });
  // The JPEG last: a frame is listed once its JPEG exists, and by then its card does too.
  writeFileSync(join(k.dir, `${k.stem}.jpg`), k.jpeg);
  writeFileSync(join(k.dir, 'classes.txt'), `${k.labels.join('\n')}\n`);
}
