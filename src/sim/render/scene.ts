// Scene descriptions: what is on the counter. A scene plus the renderer gives identical
// pixels every time, so scenes are what datasets and the simulated camera store.
import { COUNTERS, TRAY_COLORS, TRAY_H, TRAY_W } from './backdrop.js';
import { chance, int, pick, r2, range, rngFor, type Rng } from './random.js';

/** The detector's label list, in model order. */
export const CLASSES = [
  'tray',
  'burger',
  'fries',
  'drink',
  'nuggets',
  'wrap',
  'salad',
  'dessert',
  'sauce',
  'hand',
] as const;
export type ClassName = (typeof CLASSES)[number];
export const ITEM_LABELS = CLASSES.filter((c) => c !== 'tray' && c !== 'hand');
/**
 * Items the renderer draws that are not in CLASSES: no shipped model knows them, random training
 * scenes never hold them. A scenario may order them (the demo's item to teach, items-new.ts).
 */
export const NEW_ITEM_LABELS = ['hotdog'] as const;

/** Rough half-extent of each item in tray pixels (for placement only). */
export const ITEM_RADIUS: Record<string, number> = {
  burger: 38,
  fries: 38,
  drink: 32,
  nuggets: 40,
  wrap: 48,
  salad: 52,
  dessert: 34,
  sauce: 18,
  hotdog: 52,
};

export interface SceneItem {
  label: string;
  /** Tray-local position, 0..1 across the tray (values a little outside = overhanging the rim). */
  x: number;
  y: number;
  rotationDeg: number;
  scale: number;
  /** Index of a cut-out of this label (photo renderer only): pasted instead of the drawing. */
  sprite?: number;
}

export interface SceneTray {
  /** Tray centre in the frame, 0..1. */
  x: number;
  y: number;
  rotationDeg: number;
  items: SceneItem[];
  color?: string;
}

export interface SceneHand {
  /** Centre of the palm in the frame, 0..1. */
  x: number;
  y: number;
  /** Direction the fingers point; the arm comes from the opposite side. */
  angleDeg: number;
  scale: number;
}

export interface Scene {
  width: number;
  height: number;
  /** Appearance seed: colours, textures, clutter placement. */
  seed: number;
  /** Sensor-noise seed (default: seed); a simulated camera changes it per frame. */
  noiseSeed?: number;
  /** Camera zoom: 1 = about 7 px per cm at 640 px wide. */
  zoom?: number;
  trays: SceneTray[];
  hand?: SceneHand | null;
  distractors: number;
  /** brightness 1 = normal (0.2..1.6); warmth -1 cool .. 1 warm. */
  lighting: { brightness: number; warmth: number };
  counter?: string;
  /** Sensor noise 0..1. */
  noise: number;
  /** Gaussian blur sigma in pixels (0 = sharp). */
  blur: number;
  /** JPEG round-trip quality, null = none. */
  jpegQuality: number | null;
}

export interface SceneOptions {
  width?: number;
  height?: number;
  zoom?: number;
  /** For sceneForTrays: 0 = left, 1 = right position per tray (default: spread evenly). */
  slots?: number[];
  /** Hand over the view: true = over the first tray, a number = over that tray. */
  hand?: boolean | number;
  brightness?: number;
  warmth?: number;
  distractors?: number;
  counter?: string;
  noise?: number;
  blur?: number;
  jpegQuality?: number | null;
  /** Random tray offset/rotation (default true). */
  jitter?: boolean;
}

/** Places items on a tray, avoiding heavy overlap; deterministic per (seed, tray). */
export function placeItems(labels: string[], rng: Rng, looseness = 0.75): SceneItem[] {
  const placed: Array<{ px: number; py: number; r: number }> = [];
  const items: SceneItem[] = [];
  for (const label of labels) {
    const scale = r2(range(rng, 0.88, 1.12));
    const r = (ITEM_RADIUS[label] ?? 30) * scale;
    let best = { px: 0, py: 0, cost: Infinity };
    for (let tries = 0; tries < 40; tries++) {
      const px = range(rng, -TRAY_W / 2 + r * 0.7, TRAY_W / 2 - r * 0.7);
      const py = range(rng, -TRAY_H / 2 + r * 0.7, TRAY_H / 2 - r * 0.7);
      let cost = 0;
      for (const p of placed) cost += Math.max(0, looseness * (p.r + r) - Math.hypot(p.px - px, p.py - py));
      if (cost < best.cost) best = { px, py, cost };
      if (cost === 0) break;
    }
    placed.push({ px: best.px, py: best.py, r });
    items.push({
      label,
      x: r2(best.px / TRAY_W + 0.5),
      y: r2(best.py / TRAY_H + 0.5),
      rotationDeg: Math.round(range(rng, 0, 360)),
      scale,
    });
  }
  return items;
}

function lightingFrom(rng: Rng): Scene['lighting'] {
  const b = chance(rng, 0.7) ? range(rng, 0.8, 1.2) : range(rng, 0.45, 1.5);
  return { brightness: r2(b), warmth: r2(range(rng, -1, 1)) };
}

function handOver(rng: Rng, cx: number, cy: number, aspect: number): SceneHand {
  const angleDeg = Math.round(pick(rng, [-90, 90, 0, 180, -90, -90]) + range(rng, -35, 35));
  const a = (angleDeg * Math.PI) / 180;
  const back = range(rng, 0, 0.25);
  return {
    x: r2(cx - back * Math.cos(a)),
    y: r2(cy - back * Math.sin(a) * aspect),
    angleDeg,
    scale: r2(range(rng, 0.85, 1.2)),
  };
}

/** A random training scene: 0–2 trays, 0–7 items each, sometimes a hand, clutter and bad light. */
export function randomScene(seed: number, opts: SceneOptions = {}): Scene {
  const rng = rngFor(seed, 1);
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  const zoom = r2(opts.zoom ?? range(rng, 0.8, 1.2));
  const nTrays = pick(rng, [0, 1, 1, 1, 1, 2, 2, 2, 2, 1]);
  const trays: SceneTray[] = [];
  for (let t = 0; t < nTrays; t++) {
    const x = nTrays === 2 ? (t === 0 ? 0.27 : 0.73) + range(rng, -0.07, 0.07) : range(rng, 0.22, 0.78);
    const turned = chance(rng, 0.15) ? 90 : 0;
    const n = pick(rng, [0, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7]);
    const labels = Array.from({ length: n }, () => (chance(rng, 0.12) ? 'sauce' : pick(rng, ITEM_LABELS)));
    const items = placeItems(labels, rng, chance(rng, 0.3) ? 0.5 : 0.75);
    for (const it of items) {
      if (chance(rng, 0.06)) it.x = r2(it.x < 0.5 ? it.x - 0.35 : it.x + 0.35); // an item set down beside the tray
    }
    trays.push({
      x: r2(x),
      y: r2(range(rng, 0.3, 0.7)),
      rotationDeg: Math.round(turned + range(rng, -22, 22)),
      items,
      color: pick(rng, TRAY_COLORS),
    });
  }
  let hand: SceneHand | null = null;
  if (chance(rng, 0.3)) {
    const target =
      trays.length && chance(rng, 0.8)
        ? pick(rng, trays)
        : { x: range(rng, 0.15, 0.85), y: range(rng, 0.2, 0.8) };
    hand = handOver(
      rng,
      target.x + range(rng, -0.12, 0.12),
      target.y + range(rng, -0.15, 0.15),
      width / height,
    );
  }
  return {
    width,
    height,
    seed,
    zoom,
    trays,
    hand,
    distractors: pick(rng, [0, 1, 1, 2, 2, 3, 4, 5]),
    lighting: lightingFrom(rng),
    counter: pick(rng, COUNTERS),
    noise: r2(range(rng, 0, 1)),
    blur: chance(rng, 0.5) ? 0 : r2(range(rng, 0.3, 1.3)),
    jpegQuality: chance(rng, 0.2) ? null : int(rng, 35, 95),
  };
}

function expand(counts: Record<string, number>): string[] {
  // Larger items first so that small ones (sauce) fill the gaps; fixed order keeps layouts stable.
  const drawn: string[] = [...ITEM_LABELS, ...NEW_ITEM_LABELS];
  const order = drawn.sort((a, b) => (ITEM_RADIUS[b] ?? 0) - (ITEM_RADIUS[a] ?? 0));
  const labels: string[] = [];
  for (const l of order) for (let i = 0; i < Math.max(0, Math.floor(counts[l] ?? 0)); i++) labels.push(l);
  for (const l of Object.keys(counts)) if (!order.includes(l)) throw new Error(`unknown item label: ${l}`);
  return labels;
}

/** A scene with the given item counts on 1–2 trays (the simulated camera's view of real orders). */
export function sceneForTrays(
  traysCounts: Array<Record<string, number>>,
  seed: number,
  opts: SceneOptions = {},
): Scene {
  const rng = rngFor(seed, 2);
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  const jitter = opts.jitter ?? true;
  const trays = traysCounts.map((counts, t): SceneTray => {
    const trng = rngFor(seed, 3, t);
    const slot =
      opts.slots?.[t] ?? (traysCounts.length === 1 ? 0.5 : t / Math.max(1, traysCounts.length - 1));
    const x = 0.27 + slot * 0.46 + (jitter ? range(trng, -0.04, 0.04) : 0);
    const y = 0.5 + (jitter ? range(trng, -0.08, 0.08) : 0);
    const rotationDeg = jitter ? Math.round(range(trng, -12, 12)) : 0;
    const color = pick(trng, TRAY_COLORS);
    return { x: r2(x), y: r2(y), rotationDeg, items: placeItems(expand(counts), trng), color };
  });
  let hand: SceneHand | null = null;
  if (opts.hand !== undefined && opts.hand !== false) {
    const t = trays[typeof opts.hand === 'number' ? opts.hand : 0] ?? { x: 0.5, y: 0.5 };
    hand = handOver(rng, t.x, t.y, width / height);
  }
  return {
    width,
    height,
    seed,
    zoom: opts.zoom ?? 1,
    trays,
    hand,
    distractors: opts.distractors ?? 1,
    lighting: { brightness: opts.brightness ?? 1, warmth: opts.warmth ?? 0 },
    counter: opts.counter ?? pick(rng, COUNTERS),
    noise: opts.noise ?? 0.3,
    blur: opts.blur ?? 0,
    jpegQuality: opts.jpegQuality === undefined ? 85 : opts.jpegQuality,
  };
}

export function sceneForTray(items: Record<string, number>, seed: number, opts: SceneOptions = {}): Scene {
  return sceneForTrays([items], seed, opts);
}
