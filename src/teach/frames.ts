// The labelling side of the captured frames (teach/frames/captured/): list them with their
// state, read one with its boxes, save the boxes someone drew and the state they chose. Cards
// are frame-card.ts; frames captured before cards existed are read from their YOLO pre-labels.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { TeachConfig } from '../config/schema.js';
import type { Box } from '../types.js';
import { capturedDir } from './capture.js';
import {
  FRAME_ID,
  readCard,
  splitOf,
  stemTime,
  writeCard,
  type FrameCard,
  type FrameState,
  type LabelBox,
} from './frame-card.js';

/** More boxes than this on one tray is a mistake (a held key, a script), not a tray. */
export const MAX_BOXES = 100;
/** Smallest box side in pixels: anything smaller is a slip of the finger. */
const MIN_SIDE_PX = 2;

export interface FrameSummary {
  id: string;
  capturedAt: number;
  cameraId: string;
  trayId: string;
  reason: FrameCard['reason'];
  alertId: number | null;
  state: FrameState;
  orderItems: string[];
  boxCount: number;
  imageUrl: string;
}

export interface FrameDetail extends FrameSummary {
  width: number;
  height: number;
  split: FrameCard['split'];
  boxes: LabelBox[];
  /** Labels to offer: the tray's order items first, then every other label the model knows. */
  labels: string[];
  labelledBy: string | null;
  labelledAt: number | null;
}

export type SaveOutcome = { ok: true; frame: FrameDetail } | { ok: false; status: 400 | 404; error: string };

export interface FrameStore {
  capture(): {
    enabled: boolean;
    everyNthTray: number;
    maxFrames: number;
    maxBytes: number;
    retentionDays: number;
  };
  list(q: { state?: FrameState; page: number; perPage: number }): {
    total: number;
    page: number;
    perPage: number;
    counts: Record<FrameState, number>;
    frames: FrameSummary[];
  };
  get(id: string): Promise<FrameDetail | null>;
  imagePath(id: string): string | null;
  save(id: string, body: { boxes: LabelBox[]; state: FrameState }, by: string): Promise<SaveOutcome>;
}

export function createFrameStore(deps: {
  dataDir: string;
  teach: TeachConfig;
  /** Every label a box may have: the running model's and the store's new ones. */
  labels(): string[];
  /** What the tray's order asked for (detector labels), for frames that did not record it. */
  orderItems?(trayId: string): string[];
}): FrameStore {
  const dir = capturedDir(deps.dataDir);
  const stems = (): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.jpg') && FRAME_ID.test(f.slice(0, -4)))
          .map((f) => f.slice(0, -4))
          .sort()
          .reverse()
      : [];

  /** A frame captured before cards: its YOLO pre-labels in the class order of classes.txt. */
  const legacyCard = async (stem: string): Promise<FrameCard> => {
    const meta = await sharp(join(dir, `${stem}.jpg`)).metadata();
    const [w, h] = [meta.width ?? 1, meta.height ?? 1];
    const classesFile = join(dir, 'classes.txt');
    const classes = existsSync(classesFile) ? readFileSync(classesFile, 'utf8').split('\n') : [];
    const txt = join(dir, `${stem}.txt`);
    const boxes = (existsSync(txt) ? readFileSync(txt, 'utf8').split('\n') : [])
      .map((l) => l.trim().split(/\s+/).map(Number))
      .filter((v) => v.length === 5 && v.every(Number.isFinite) && classes[v[0] as number])
      .map(([c, cx, cy, bw, bh]) => ({
        label: classes[c as number] as string,
        box: [(cx! - bw! / 2) * w, (cy! - bh! / 2) * h, (cx! + bw! / 2) * w, (cy! + bh! / 2) * h].map(
          Math.round,
        ) as Box,
      }));
    return {
      version: 1,
      capturedAt: stemTime(stem),
      cameraId: '',
      trayId: '',
      reason: 'sample',
      alertId: null,
      orderItems: [],
      width: w,
      height: h,
      state: 'to-label',
      split: splitOf(stem),
      boxes,
      labelledBy: null,
      labelledAt: null,
    };
  };

  const orderItemsOf = (card: FrameCard): string[] =>
    card.orderItems.length || !card.trayId ? card.orderItems : (deps.orderItems?.(card.trayId) ?? []);

  const summary = (stem: string, card: FrameCard | null): FrameSummary => ({
    id: stem,
    capturedAt: card?.capturedAt ?? stemTime(stem),
    cameraId: card?.cameraId ?? '',
    trayId: card?.trayId ?? '',
    reason: card?.reason ?? 'sample',
    alertId: card?.alertId ?? null,
    state: card?.state ?? 'to-label',
    orderItems: card ? orderItemsOf(card) : [],
    boxCount: card?.boxes.length ?? 0,
    imageUrl: `/api/teach/frames/${stem}/image`,
  });

  const load = async (id: string): Promise<FrameCard | null> => {
    if (!FRAME_ID.test(id) || !existsSync(join(dir, `${id}.jpg`))) return null;
    return readCard(dir, id) ?? (await legacyCard(id));
  };

  const detail = (id: string, card: FrameCard): FrameDetail => {
    const items = orderItemsOf(card);
    return {
      ...summary(id, card),
      width: card.width,
      height: card.height,
      split: card.split,
      boxes: card.boxes,
      labels: [...new Set([...items, ...deps.labels()])],
      labelledBy: card.labelledBy,
      labelledAt: card.labelledAt,
    };
  };

  return {
    capture: () => ({
      enabled: deps.teach.capture,
      everyNthTray: deps.teach.captureEveryNthTray,
      maxFrames: deps.teach.captureMaxFrames,
      maxBytes: deps.teach.captureMaxBytes,
      retentionDays: deps.teach.captureRetentionDays,
    }),
    list({ state, page, perPage }) {
      const all = stems().map((stem) => ({ stem, card: readCard(dir, stem) }));
      const stateOf = (card: FrameCard | null): FrameState => card?.state ?? 'to-label';
      const counts: Record<FrameState, number> = { 'to-label': 0, done: 0, excluded: 0 };
      for (const f of all) counts[stateOf(f.card)]++;
      const chosen = state ? all.filter((f) => stateOf(f.card) === state) : all;
      return {
        total: chosen.length,
        page,
        perPage,
        counts,
        // Summaries (and their order look-ups) for this page only.
        frames: chosen.slice((page - 1) * perPage, page * perPage).map((f) => summary(f.stem, f.card)),
      };
    },
    async get(id) {
      const card = await load(id);
      return card ? detail(id, card) : null;
    },
    imagePath: (id) =>
      FRAME_ID.test(id) && existsSync(join(dir, `${id}.jpg`)) ? join(dir, `${id}.jpg`) : null,
    async save(id, body, by) {
      const card = await load(id);
      if (!card) return { ok: false, status: 404, error: 'no such frame (deleted by retention?)' };
      const problem = checkBoxes(body.boxes, card.width, card.height, deps.labels());
      if (problem) return { ok: false, status: 400, error: problem };
      const saved: FrameCard = {
        ...card,
        boxes: body.boxes.map((b) => ({
          label: b.label,
          box: b.box.map((v) => Math.round(v * 10) / 10) as Box,
        })),
        state: body.state,
        labelledBy: by,
        labelledAt: Date.now(),
      };
      writeCard(dir, id, saved);
      return { ok: true, frame: detail(id, saved) };
    },
  };
}

/** The first thing wrong with the boxes, in words for the person labelling; null when fine. */
export function checkBoxes(
  boxes: LabelBox[],
  width: number,
  height: number,
  labels: string[],
): string | null {
  if (boxes.length > MAX_BOXES) return `too many boxes: ${boxes.length} (at most ${MAX_BOXES})`;
  for (const [i, { label, box }] of boxes.entries()) {
    const [x1, y1, x2, y2] = box;
    const name = `box ${i + 1} (${label})`;
    if (!labels.includes(label)) return `${name}: unknown label "${label}" (known: ${labels.join(', ')})`;
    if (x2 - x1 < MIN_SIDE_PX || y2 - y1 < MIN_SIDE_PX)
      return `${name}: x2 must exceed x1 and y2 exceed y1 by at least ${MIN_SIDE_PX} px (got [${box.join(', ')}])`;
    if (x1 < 0 || y1 < 0 || x2 > width || y2 > height)
      return `${name}: [${box.join(', ')}] is outside the ${width}×${height} image`;
  }
  return null;
}
