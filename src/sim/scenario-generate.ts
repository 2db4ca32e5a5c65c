// `traycheck scenario generate`: random but valid shifts with a chosen error rate.
// Deterministic from the seed. Errors: missing item, extra item, wrong item (substitution),
// and a corrected tray (wrong first, fixed after the alert).
import type { Menu } from '../config/schema.js';
import { expandOrder } from '../menu/index.js';
import type { LabelCounts } from '../types.js';
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
}

export type ErrorKind = 'missing' | 'extra' | 'wrong' | 'corrected';
const ERROR_KINDS: ErrorKind[] = ['missing', 'extra', 'wrong', 'corrected'];
/** Labels a generated tray may carry (everything the simulated kitchen serves). */
const SERVABLE = ['burger', 'fries', 'drink', 'nuggets', 'wrap', 'salad', 'dessert', 'sauce'];

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

function randomOrderItems(rng: Rng, skus: string[], menu: Menu): ScenarioOrder['items'] {
  // Keep trays to what fits visibly on one tray: at most 6 items.
  for (;;) {
    const lines = new Map<string, number>();
    const n = 1 + Math.floor(rng() * 3);
    for (let i = 0; i < n; i++) {
      const sku = pick(rng, skus);
      lines.set(sku, (lines.get(sku) ?? 0) + 1);
    }
    const items = [...lines].map(([sku, qty]) => ({ sku, qty }));
    const total = Object.values(expandOrder({ items }, menu).expected).reduce((a, b) => a + b, 0);
    if (total >= 1 && total <= 6) return items;
  }
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
): { items: LabelCounts; kind: Exclude<ErrorKind, 'corrected'> } {
  const out = { ...expected };
  const present = Object.keys(out).filter((k) => (out[k] ?? 0) > 0);
  const total = Object.values(out).reduce((a, b) => a + b, 0);
  const kind = asked === 'missing' && total <= 1 ? 'wrong' : asked;
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
  const skus = Object.entries(opts.menu)
    .filter(([, m]) => m.verify && Object.keys(m.contains).every((l) => SERVABLE.includes(l)))
    .map(([sku]) => sku);
  if (skus.length === 0) throw new Error('the menu has no verifiable SKUs made of servable labels');
  const orders: ScenarioOrder[] = [];
  const trays: ScenarioTray[] = [];
  const truth: Record<string, ErrorKind> = {};
  let t = 1;
  let i = 0;
  while (i < opts.trays) {
    const pair = i + 1 < opts.trays && rng() < (opts.twoTrayRate ?? 0.2);
    const group = pair ? 2 : 1;
    for (let g = 0; g < group; g++, i++) {
      const id = String(1000 + i);
      const items = randomOrderItems(rng, skus, opts.menu);
      const expected = expandOrder({ items }, opts.menu).expected;
      const enter = t + 2 + g * 0.8;
      const ready = rng() < (opts.readyRate ?? 0.7);
      orders.push({
        id,
        at: t + g * 0.3,
        items,
        updates: [],
        ...(ready ? { readyAt: enter - 0.5 } : {}),
        servedAt: enter + 9,
      });
      const tray: ScenarioTray = {
        id: `T${id}`,
        order: id,
        slot: pair ? g : 0,
        enter,
        leave: enter + 7,
        steps: [{ at: 0, items: expected }],
        hands: [],
      };
      if (rng() < opts.errorRate) {
        const kind = pick(rng, ERROR_KINDS);
        if (kind === 'corrected') {
          truth[tray.id] = kind;
          // Fixed after the alert, and taken away a second before the next tray arrives
          // (a tray cannot be swapped for another in zero time).
          tray.steps = [
            { at: 0, items: mutate(rng, expected, pick(rng, ['missing', 'extra', 'wrong'] as const)).items },
            { at: 3.5, items: expected },
          ];
          tray.hands = [{ at: 2.5, duration: 1 }];
          tray.leave = enter + 8;
        } else {
          const made = mutate(rng, expected, kind);
          truth[tray.id] = made.kind;
          tray.steps = [{ at: 0, items: made.items }];
        }
      } else if (rng() < (opts.handRate ?? 0.15)) {
        tray.hands = [{ at: 4, duration: 1 }];
      }
      trays.push(tray);
    }
    t += pair ? 11 : 9;
  }
  return {
    name: opts.name ?? `generated-${opts.trays}-trays-seed-${opts.seed}`,
    description: `${opts.trays} trays, error rate ${opts.errorRate}, seed ${opts.seed}`,
    seed: opts.seed,
    station: 'expo',
    fps: 5,
    width: 640,
    height: 360,
    render: { brightness: opts.brightness ?? 1, warmth: 0, clutter: 1, noise: 0.3 },
    orders,
    trays,
    camera: [],
    truth,
  };
}
