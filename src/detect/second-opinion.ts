// The second opinion: a model may carry, beside its own head, YOLOX-nano's COCO detector on the
// same backbone (output `coco`, metadata `second_opinion`; tools/train/yolox_coco.py). Our head
// is trained on renders; the COCO head was trained on real photographs. On a real camera it
// knows a sandwich, a cup or a cake where ours may stay silent, and it knows that a clock, a
// phone or a pizza is not a menu item where ours may guess one. So, per frame:
//   - veto: an item of ours that a COCO box calls, more surely than we name it, something that is
//     not food (a clock) is dropped;
//   - doubt: an item of ours that a COCO box names as another menu item or as food not on the
//     menu (a pizza), with at least rivals.scoreRatio of our score, is uncertain (as rivals are);
//   - fill-in: a confident COCO box of a menu item (sandwich → burger) where ours found nothing
//     becomes an item, marked as coming from the second opinion.
import type { Box, Detection } from '../types.js';
import { ModelError } from './errors.js';
import { toFramePx, type LetterboxGeometry } from './letterbox.js';
import { clipBox, iou, nmsClassWise, type Candidate } from './nms.js';

/** What the model's metadata says its COCO classes mean to a tray. */
export interface SecondOpinionMeta {
  /** COCO class names, index = class id of the `coco` output. */
  names: string[];
  /** COCO class → the model's label it stands for (sandwich → burger). */
  aliases: Record<string, string>;
  /** Food that is not on the menu: it makes an item of ours uncertain, never an item. */
  otherFood: string[];
  /** Classes that never veto (containers, cutlery, people, the table, the aliased items). */
  neutral: string[];
}

export interface SecondOpinionOptions {
  /** Lowest COCO score that drops an item or adds one. */
  minScore: number;
  /** Lowest COCO score that makes an item uncertain (another menu item, or food not on the menu). */
  doubtScore: number;
  /** IoU at which a COCO box and one of ours are the same object. */
  iou: number;
  /** A doubt counts when the COCO score is at least this share of ours (detector.rivals.scoreRatio). */
  scoreRatio: number;
}

export interface CocoBox {
  name: string;
  score: number;
  box: Box;
}

/** Labels of ours the second opinion leaves alone: the tray holds things, a hand is no item. */
const STRUCTURAL = new Set(['tray', 'hand']);

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Parses the `second_opinion` metadata; throws a ModelError naming what is wrong. */
export function parseSecondOpinion(
  file: string,
  text: string,
  modelLabels: readonly string[],
): SecondOpinionMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ModelError(file, 'metadata second_opinion is not JSON');
  }
  const m = raw as Partial<SecondOpinionMeta> | null;
  if (!m || !isStringList(m.names) || m.names.length === 0)
    throw new ModelError(file, 'metadata second_opinion.names must be a list of class names');
  for (const key of ['otherFood', 'neutral'] as const)
    if (!isStringList(m[key]))
      throw new ModelError(file, `metadata second_opinion.${key} must be a list of names`);
  const aliases = m.aliases;
  if (!aliases || typeof aliases !== 'object' || !Object.values(aliases).every((v) => typeof v === 'string'))
    throw new ModelError(file, 'metadata second_opinion.aliases must map class names to labels');
  for (const [from, to] of Object.entries(aliases)) {
    if (!m.names.includes(from))
      throw new ModelError(file, `metadata second_opinion.aliases: "${from}" is not one of its class names`);
    if (!modelLabels.includes(to))
      throw new ModelError(file, `metadata second_opinion.aliases: "${to}" is not one of the model's labels`);
  }
  return { names: m.names, aliases, otherFood: m.otherFood as string[], neutral: m.neutral as string[] };
}

/**
 * Decodes the `coco` output ([1, M, 4 + classes]: x1, y1, x2, y2 in input pixels, then scores)
 * into frame-pixel boxes of at least `minScore`, class-wise NMS applied.
 */
export function decodeCoco(
  data: Float32Array,
  dims: readonly number[],
  meta: SecondOpinionMeta,
  geometry: LetterboxGeometry,
  o: { minScore: number; nmsIou: number; maxDetections: number },
): CocoBox[] {
  const n = dims[1] as number;
  const k = dims[2] as number;
  const nc = k - 4;
  const candidates: Candidate[] = [];
  for (let i = 0, row = 0; i < n; i++, row += k) {
    for (let c = 0; c < nc; c++) {
      const score = data[row + 4 + c] as number;
      if (score >= o.minScore)
        candidates.push({
          classId: c,
          score,
          box: [
            data[row] as number,
            data[row + 1] as number,
            data[row + 2] as number,
            data[row + 3] as number,
          ],
        });
    }
  }
  const out: CocoBox[] = [];
  for (const c of nmsClassWise(candidates, o.nmsIou, o.maxDetections)) {
    const box = clipBox(toFramePx(c.box, geometry), geometry.srcW, geometry.srcH);
    if (box) out.push({ name: meta.names[c.classId] ?? `coco${c.classId}`, score: c.score, box });
  }
  return out;
}

/** Food not on the menu doubts an item outright: it may be no item of ours at all. */
const withoutRival = (d: Detection): Detection => {
  const { rival: _, ...rest } = d;
  return rest;
};

/**
 * Applies the second opinion to our detections (frame pixels). `aliases` maps a model label to
 * the label the detector reports (detector.aliases); `labels` are the reported labels that exist.
 * Returns a new list; our detections are not mutated.
 */
export function applySecondOpinion(
  ours: readonly Detection[],
  coco: readonly CocoBox[],
  meta: SecondOpinionMeta,
  o: SecondOpinionOptions & { reported: (modelLabel: string) => string | null },
): Detection[] {
  const neutral = new Set(meta.neutral);
  const otherFood = new Set(meta.otherFood);
  const strong = coco.filter((c) => c.score >= o.minScore);
  const out: Detection[] = [];
  for (const d of ours) {
    if (STRUCTURAL.has(d.label)) {
      out.push(d);
      continue;
    }
    const same = coco.filter((c) => c.score >= o.doubtScore && iou(c.box, d.box) >= o.iou);
    const top = same.sort((a, b) => b.score - a.score)[0];
    if (!top) {
      out.push(d);
      continue;
    }
    const alias = meta.aliases[top.name];
    const named = alias !== undefined ? o.reported(alias) : null;
    if (named === d.label) out.push(d);
    else if (named !== null || otherFood.has(top.name))
      // A rival label, as in postprocess: close enough to ours, and ours is not to be trusted.
      out.push(
        top.score < o.scoreRatio * d.score
          ? d
          : named !== null
            ? { ...d, uncertain: true, rival: d.rival ?? named }
            : withoutRival({ ...d, uncertain: true }),
      );
    else if (neutral.has(top.name) || top.score < o.minScore || top.score < d.score) out.push(d);
    // else: more surely a clock, a phone, a ball than ours is an item: not an item, dropped.
  }
  const items = out.filter((d) => !STRUCTURAL.has(d.label));
  for (const c of strong) {
    const alias = meta.aliases[c.name];
    const label = alias !== undefined ? o.reported(alias) : null;
    if (label === null) continue;
    if (items.some((d) => sameObject(d.box, c.box, o.iou))) continue;
    if (out.some((d) => d.source === 'second-opinion' && iou(d.box, c.box) >= o.iou)) continue;
    out.push({ label, score: c.score, box: c.box, source: 'second-opinion' });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Overlapping enough, or one mostly inside the other (an item of ours on part of the object). */
function sameObject(a: Box, b: Box, minIou: number): boolean {
  return iou(a, b) >= minIou || covered(a, b) >= 0.6 || covered(b, a) >= 0.6;
}

/** Share of box b that box a covers. */
function covered(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const area = (b[2] - b[0]) * (b[3] - b[1]);
  return area > 0 ? (w * h) / area : 0;
}
