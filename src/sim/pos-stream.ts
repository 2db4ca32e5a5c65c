// A realistic POS/KDS event stream, pure and seeded: orders arrive as a Poisson process whose rate
// follows the restaurant's day (lunch and dinner rushes), lines are drawn from a weighted menu mix,
// some orders are updated or cancelled, the kitchen bumps them ready after a prep time and the
// counter serves them. Payloads follow the MQTT contract (docs/mqtt.md).
import type { Menu } from '../config/schema.js';
import { mulberry32, type Rng } from './rng.js';

export interface PosStreamOptions {
  menu: Menu;
  seed: number;
  /** Orders per minute at a multiplier of 1 (the rush-hour profile scales it). */
  ratePerMin: number;
  /** Wall-clock time of the stream start (epoch ms): sets the time of day for the rush profile. */
  startMs: number;
  /** false: a flat rate all day. */
  rushHours?: boolean;
  /** SKU → relative weight; default: meals 3, verify:false items 0.2, others 1. */
  weights?: Record<string, number>;
  cancelRate?: number;
  updateRate?: number;
  /** Fraction of ready orders that are served (a KDS may not send order.served). */
  servedRate?: number;
  prepMeanS?: number;
  stations?: string[];
  /** Stop creating orders after this many (their follow-up events still come). */
  maxOrders?: number;
  /** First order number; default changes every minute so repeated runs do not reuse ids. */
  orderIdStart?: number;
}

export interface SimEvent {
  atMs: number;
  channel: 'pos' | 'kds';
  payload: Record<string, unknown> & { type: string; orderId: string };
}

/** Traffic multiplier by hour of day: quiet mornings, a lunch and a dinner rush, dead nights. */
export function rushMultiplier(hour: number): number {
  if (hour >= 11 && hour < 14) return hour === 12 ? 3 : 2;
  if (hour >= 18 && hour < 21) return hour === 19 ? 2.5 : 1.8;
  if (hour >= 7 && hour < 11) return 0.8;
  if (hour >= 14 && hour < 18) return 0.7;
  if (hour >= 21 && hour < 23) return 0.6;
  return 0.2;
}
const MAX_MULTIPLIER = 3;

function defaultWeight(sku: string, menu: Menu): number {
  const item = menu[sku];
  if (!item) return 0;
  if (!item.verify) return 0.2;
  return /combo|meal|menu/i.test(`${sku} ${item.name}`) ? 3 : 1;
}

const expGap = (rng: Rng, ratePerMs: number): number => -Math.log(1 - rng()) / ratePerMs;
const normal = (rng: Rng): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

class EventQueue {
  readonly #items: SimEvent[] = [];
  push(e: SimEvent): void {
    let i = this.#items.length;
    while (i > 0 && (this.#items[i - 1]?.atMs ?? 0) > e.atMs) i--;
    this.#items.splice(i, 0, e);
  }
  peek(): SimEvent | undefined {
    return this.#items[0];
  }
  shift(): SimEvent | undefined {
    return this.#items.shift();
  }
}

export function* posStream(opts: PosStreamOptions): Generator<SimEvent> {
  const rng = mulberry32(opts.seed);
  const skus = Object.keys(opts.menu);
  if (skus.length === 0) throw new Error('simulated POS: the menu is empty');
  const weights = skus.map((s) => Math.max(0, opts.weights?.[s] ?? defaultWeight(s, opts.menu)));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new Error('simulated POS: every menu weight is 0');
  const drawSku = (): string => {
    let x = rng() * total;
    for (let i = 0; i < skus.length; i++) if ((x -= weights[i] ?? 0) < 0) return skus[i] as string;
    return skus[skus.length - 1] as string;
  };
  const drawLines = (): { sku: string; qty: number }[] => {
    const r = rng();
    const n = r < 0.5 ? 1 : r < 0.8 ? 2 : r < 0.95 ? 3 : 4;
    const lines = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const q = rng();
      const sku = drawSku();
      lines.set(sku, (lines.get(sku) ?? 0) + (q < 0.85 ? 1 : q < 0.97 ? 2 : 3));
    }
    return [...lines].map(([sku, qty]) => ({ sku, qty }));
  };
  const stations = opts.stations?.length ? opts.stations : ['expo'];
  const channels = ['counter', 'counter', 'drive-thru', 'kiosk'];
  const maxRatePerMs = (opts.ratePerMin * (opts.rushHours === false ? 1 : MAX_MULTIPLIER)) / 60_000;
  const rateAt = (ms: number): number =>
    (opts.ratePerMin * (opts.rushHours === false ? 1 : rushMultiplier(new Date(ms).getHours()))) / 60_000;
  const runId = `${opts.seed}-${opts.startMs.toString(36)}`;
  let nextNumber = opts.orderIdStart ?? 1000 * (1 + (Math.floor(opts.startMs / 60_000) % 9000));
  let created = 0;
  let nextArrival = opts.startMs + expGap(rng, maxRatePerMs);
  const queue = new EventQueue();

  const createOrder = (at: number): void => {
    const orderId = String(nextNumber++);
    created++;
    const eventId = (kind: string): string => `sim-${runId}-${orderId}-${kind}`;
    const items = drawLines();
    queue.push({
      atMs: at,
      channel: 'pos',
      payload: {
        type: 'order.placed',
        orderId,
        items,
        placedAt: new Date(at).toISOString(),
        channel: channels[Math.floor(rng() * channels.length)],
        eventId: eventId('placed'),
      },
    });
    if (rng() < (opts.updateRate ?? 0.08)) {
      const changed = [...items, ...drawLines()].slice(0, 5);
      queue.push({
        atMs: at + (10 + rng() * 40) * 1000,
        channel: 'pos',
        payload: { type: 'order.updated', orderId, items: changed, eventId: eventId('updated') },
      });
    }
    if (rng() < (opts.cancelRate ?? 0.03)) {
      queue.push({
        atMs: at + (5 + rng() * 50) * 1000,
        channel: 'pos',
        payload: { type: 'order.cancelled', orderId, eventId: eventId('cancelled') },
      });
      return;
    }
    const prepS = Math.max(20, (opts.prepMeanS ?? 90) * Math.exp(0.35 * normal(rng)));
    const readyAt = at + Math.max(prepS, 60) * 1000;
    const station = stations[Math.floor(rng() * stations.length)] as string;
    queue.push({
      atMs: readyAt,
      channel: 'kds',
      payload: { type: 'order.ready', orderId, station, eventId: eventId('ready') },
    });
    if (rng() < (opts.servedRate ?? 0.9)) {
      queue.push({
        atMs: readyAt + (15 + rng() * 75) * 1000,
        channel: 'kds',
        payload: { type: 'order.served', orderId, eventId: eventId('served') },
      });
    }
  };

  for (;;) {
    const more = opts.maxOrders === undefined || created < opts.maxOrders;
    const head = queue.peek();
    if (more && (!head || nextArrival <= head.atMs)) {
      const at = nextArrival;
      nextArrival += expGap(rng, maxRatePerMs);
      // Thinning: accept an arrival with probability rate(t) / max rate.
      if (rng() * maxRatePerMs <= rateAt(at)) createOrder(at);
      continue;
    }
    const e = queue.shift();
    if (!e) return;
    yield e;
  }
}
