// `traycheck scenario generate`: random but valid shifts with a chosen error rate.
// Deterministic from the seed. Errors: missing item, extra item, wrong item (substitution),
// and a corrected tray (wrong first, fixed after the alert). The hard options (`--difficulty
// hard`, hard.ts) add crowded trays, modifiers, identical orders, same-spot successors and
// camera stalls.
import type { Menu, Modifiers } from '../config/schema.js';
import { expandOrder } from '../menu/index.js';
import type { LabelCounts } from '../types.js';
import { NEW_ITEM_LABELS } from './render/scene.js';
import { mulberry32, type Rng } from './rng.js';
import type { Scenario, ScenarioOrder, ScenarioTray } from './scenario.js';

export interface GenerateOptions {
  trays: number;
  errorRate: number;
  seed: number;
  menu: Menu;
  /** Fraction of trays that share the counter with a second tray. */
  twoTrayRate?: number;
  /** Fraction of trays with a hand passing over them after they settle. */
  handRate?: number;
  /** Fraction of orders bumped ready before their tray arrives (others link by best match). */
  readyRate?: number;
  brightness?: number;
  name?: string;
  /** What makes a shift hard (all off by default; see hard.ts for the preset). */
  hard?: HardOptions;
}

export interface HardOptions {
  /** Most items on one tray (default 6) and most order lines (default 3). */
  maxItems?: number;
  maxLines?: number;
  clutter?: number;
  warmth?: number;
  /** The modifiers mapping orders draw from (known codes change the tray). */
  modifiers?: Modifiers;
  /** Fraction of lines with a known modifier, and of correct trays' lines with a free-text one. */
  modifierRate?: number;
  freeTextRate?: number;
  /** Fraction of two-tray groups whose second order is identical to the first. */
  identicalRate?: number;
  /** Fraction of trays followed, a second after they leave, by an identical order on the same spot. */
  successorRate?: number;
  /** Fraction of trays during whose wait the camera stalls for 2-3 s. */
  stallRate?: number;
}

/** Free-text modifiers a POS sends that no mapping knows (the line becomes unverifiable). */
const FREE_TEXT = ['no ice', 'light salt', 'well done', 'no pickles please'];

export type ErrorKind = 'missing' | 'extra' | 'wrong' | 'corrected';
const ERROR_KINDS: ErrorKind[] = ['missing', 'extra', 'wrong', 'corrected'];
/** Labels a generated tray may carry (everything the simulated kitchen serves). */
const SERVABLE = ['burger', 'fries', 'drink', 'nuggets', 'wrap', 'salad', 'dessert', 'sauce'];

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

function randomOrderItems(
  rng: Rng,
  skus: string[],
  menu: Menu,
  maxItems: number,
  maxLines: number,
): ScenarioOrder['items'] {
  // Keep trays to what fits visibly on one tray: at most 6 items (10 on a crowded tray).
  for (;;) {
    const lines = new Map<string, number>();
    const n = 1 + Math.floor(rng() * maxLines);
    for (let i = 0; i < n; i++) {
      const sku = pick(rng, skus);
      lines.set(sku, (lines.get(sku) ?? 0) + 1);
    }
    const items = [...lines].map(([sku, qty]) => ({ sku, qty }));
    const total = Object.values(expandOrder({ items }, menu).expected).reduce((a, b) => a + b, 0);
    if (total >= 1 && total <= maxItems) return items;
  }
}

/** Lines given a known modifier that changes something on them, or (correct trays) free text. */
function withModifiers(
  rng: Rng,
  items: ScenarioOrder['items'],
  menu: Menu,
  modifiers: Modifiers,
  rate: number,
  freeTextRate: number,
): ScenarioOrder['items'] {
  return items.map((line) => {
    const contains = menu[line.sku]?.contains ?? {};
    const left = (change: Record<string, number>): number =>
      [...new Set([...Object.keys(contains), ...Object.keys(change)])].reduce(
        (a, l) => a + Math.max(0, (contains[l] ?? 0) + (change[l] ?? 0)),
        0,
      );
    // A modifier that changes something on this line and leaves something to see ("no fries" on
    // fries would leave a line the camera cannot check, and an empty tray).
    const fits = Object.entries(modifiers)
      .filter(([, m]) => Object.entries(m.change).some(([l, d]) => d > 0 || (contains[l] ?? 0) > 0))
      .filter(([, m]) => left(m.change) > 0)
      .filter(([, m]) => Object.keys(m.change).every((l) => SERVABLE.includes(l)))
      .map(([code]) => code);
    if (fits.length > 0 && rng() < rate) return { ...line, modifiers: [pick(rng, fits)] };
    if (freeTextRate > 0 && rng() < freeTextRate) return { ...line, modifiers: [pick(rng, FREE_TEXT)] };
    return line;
  });
}

/**
 * The tray an error makes of an order's expected contents, and the error it really is: a
 * one-item order is never "missing" its only item, because an empty tray is a tray being
 * started, not a wrong one (the verifier says nothing about it) — it gets the wrong item instead.
 */
function mutate(
  rng: Rng,
  expected: LabelCounts,
  asked: Exclude<ErrorKind, 'corrected'>,
  required: LabelCounts = expected,
): { items: LabelCounts; kind: Exclude<ErrorKind, 'corrected'> } {
  const out = { ...expected };
  // Only a required item can be missing (the items of a free-text line may or may not be there).
  const present = Object.keys(out).filter(
    (k) => (required[k] ?? 0) > 0 && (out[k] ?? 0) <= (required[k] ?? 0),
  );
  const total = Object.values(required).reduce((a, b) => a + b, 0);
  const kind = present.length === 0 ? 'extra' : asked === 'missing' && total <= 1 ? 'wrong' : asked;
  const removeOne = (): string => {
    const l = pick(rng, present);
    out[l] = (out[l] ?? 0) - 1;
    if (out[l] === 0) delete out[l];
    return l;
  };
  if (kind === 'missing' && present.length) removeOne();
  else if (kind === 'wrong' && present.length) {
    const removed = removeOne();
    const other = pick(
      rng,
      SERVABLE.filter((l) => l !== removed),
    );
    out[other] = (out[other] ?? 0) + 1;
  } else {
    const l = pick(rng, SERVABLE);
    out[l] = (out[l] ?? 0) + 1;
  }
  return { items: out, kind };
}

export function generateScenario(opts: GenerateOptions): Scenario {
  const rng = mulberry32(opts.seed);
  // Items no model knows but the renderer draws (the demo's hot dog) may be ordered; errors
  // (extras, swaps) stay among the known items.
  const orderable: readonly string[] = [...SERVABLE, ...NEW_ITEM_LABELS];
  const skus = Object.entries(opts.menu)
    .filter(([, m]) => m.verify && Object.keys(m.contains).every((l) => orderable.includes(l)))
    .map(([sku]) => sku);
  if (skus.length === 0) throw new Error('the menu has no verifiable SKUs made of servable labels');
  const hard = opts.hard ?? {};
  // Each option draws from the generator only when it is on, so a shift without them is the same
  // as before they existed (seeds of the README figures stay valid).
  const chance = (rate: number | undefined): boolean => (rate ?? 0) > 0 && rng() < (rate ?? 0);
  const orders: ScenarioOrder[] = [];
  const trays: ScenarioTray[] = [];
  const truth: Scenario['truth'] = {};
  const camera: Scenario['camera'] = [];
  const anyOf = (trayId: string, orderId: string): void => {
    const t = truth[trayId];
    const error = typeof t === 'string' ? t : t?.error;
    const others = typeof t === 'object' ? t['any-of'] : [];
    truth[trayId] = { 'any-of': [...others, orderId], ...(error ? { error } : {}) };
  };
  let t = 1;
  let i = 0;

  /** One order and its tray; `items` given: an identical order. Returns the tray. */
  const emit = (
    at: number,
    enter: number,
    slot: number,
    given: ScenarioOrder['items'] | null,
  ): { tray: ScenarioTray; order: ScenarioOrder } => {
    const id = String(1000 + i++);
    let items = given ?? randomOrderItems(rng, skus, opts.menu, hard.maxItems ?? 6, hard.maxLines ?? 3);
    const ready = rng() < (opts.readyRate ?? 0.7);
    const order: ScenarioOrder = {
      id,
      at,
      items,
      updates: [],
      ...(ready ? { readyAt: enter - 0.5 } : {}),
      servedAt: enter + 9,
    };
    const tray: ScenarioTray = {
      id: `T${id}`,
      order: id,
      slot,
      enter,
      leave: enter + 7,
      steps: [],
      hands: [],
    };
    const isWrong = rng() < opts.errorRate;
    if (!given && hard.modifiers) {
      const modified = withModifiers(
        rng,
        items,
        opts.menu,
        hard.modifiers,
        hard.modifierRate ?? 0,
        isWrong ? 0 : (hard.freeTextRate ?? 0),
      );
      // "extra sauce" must not make a tray bigger than the crowded maximum.
      const size = Object.values(expandOrder({ items: modified }, opts.menu, hard.modifiers).expected);
      if (size.reduce((x, y) => x + y, 0) <= (hard.maxItems ?? 6)) items = modified;
      order.items = items;
    }
    const exp = expandOrder({ items }, opts.menu, hard.modifiers ?? {});
    // What staff put on a correct tray: every expected item, and a line with a free-text modifier as it is.
    const expected = { ...exp.expected };
    for (const [label, n] of Object.entries(exp.allowance)) expected[label] = (expected[label] ?? 0) + n;
    tray.steps = [{ at: 0, items: expected }];
    if (isWrong) {
      const kind = pick(rng, ERROR_KINDS);
      if (kind === 'corrected') {
        truth[tray.id] = kind;
        // Fixed after the alert, and taken away a second before the next tray arrives
        // (a tray cannot be swapped for another in zero time).
        tray.steps = [
          {
            at: 0,
            items: mutate(rng, expected, pick(rng, ['missing', 'extra', 'wrong'] as const), exp.expected)
              .items,
          },
          { at: 3.5, items: expected },
        ];
        tray.hands = [{ at: 2.5, duration: 1 }];
        tray.leave = enter + 8;
      } else {
        const made = mutate(rng, expected, kind, exp.expected);
        truth[tray.id] = made.kind;
        tray.steps = [{ at: 0, items: made.items }];
      }
    } else if (rng() < (opts.handRate ?? 0.15)) {
      tray.hands = [{ at: 4, duration: 1 }];
    } else if (chance(hard.stallRate)) {
      // The camera stalls while the settled tray waits; it is still there when the camera is back.
      const stall = 2 + Math.round(rng() * 10) / 10;
      camera.push({ at: enter + 3.5, stall });
      tray.leave += stall;
    }
    orders.push(order);
    trays.push(tray);
    return { tray, order };
  };

  while (i < opts.trays) {
    const pair = i + 1 < opts.trays && rng() < (opts.twoTrayRate ?? 0.2);
    const group: { tray: ScenarioTray; order: ScenarioOrder }[] = [];
    for (let g = 0; g < (pair ? 2 : 1); g++) {
      const first = group[0];
      // Two identical orders side by side: either tray may rightly take either order.
      const same = g === 1 && first && chance(hard.identicalRate) ? first.order.items : null;
      const made = emit(t + g * 0.3, t + 2 + g * 0.8, pair ? g : 0, same);
      if (same && first) {
        anyOf(made.tray.id, first.order.id);
        anyOf(first.tray.id, made.order.id);
      }
      group.push(made);
    }
    const baseLeave = Math.max(...group.map((m) => m.tray.leave));
    let lastLeave = baseLeave;
    // The next guest's identical order put on the same spot a second after this tray left.
    for (const m of [...group]) {
      if (i >= opts.trays || m.tray.hands.length > 0 || !chance(hard.successorRate)) continue;
      const enter = m.tray.leave + 1;
      const next = emit(enter - 2, enter, m.tray.slot, m.order.items);
      anyOf(next.tray.id, m.order.id);
      anyOf(m.tray.id, next.order.id);
      lastLeave = Math.max(lastLeave, next.tray.leave);
    }
    // A stall or a successor keeps the spot busy longer: the next group waits for it.
    const stalled = group.some((m) => camera.some((c) => c.at > m.tray.enter && c.at < m.tray.leave));
    t =
      lastLeave > baseLeave || stalled ? Math.max(t + (pair ? 11 : 9), lastLeave + 0.5) : t + (pair ? 11 : 9);
  }
  return {
    name: opts.name ?? `generated-${opts.trays}-trays-seed-${opts.seed}`,
    description: `${opts.trays} trays, error rate ${opts.errorRate}, seed ${opts.seed}${opts.hard ? ', hard' : ''}`,
    seed: opts.seed,
    station: 'expo',
    fps: 5,
    width: 640,
    height: 360,
    render: {
      brightness: opts.brightness ?? 1,
      warmth: hard.warmth ?? 0,
      clutter: hard.clutter ?? 1,
      noise: 0.3,
    },
    ...(hard.modifiers ? { modifiers: hard.modifiers } : {}),
    orders,
    trays,
    camera,
    truth,
  };
}
