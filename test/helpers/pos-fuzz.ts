// A deterministic stream of hostile POS/KDS payloads (random bytes, truncated JSON, wrong types,
// huge numbers, deep nesting, oversize, bad UTF-8) with a valid order every `validEvery` messages.
// Shared by the orders-stage fuzz test (test/orders/fuzz.test.ts) and the full-daemon memory test
// (test/resilience/fuzz-memory.test.ts). Valid orders have ids `F<i>` (or `<idPrefix><i>`); nothing
// invalid may store an order.
import { mulberry32, type Rng } from '../../src/sim/rng.js';

export interface FuzzMsg {
  /** Topic suffix under <prefix>/<store>/. */
  topic: 'pos' | 'kds';
  payload: Buffer;
  valid: boolean;
}

export interface FuzzOptions {
  seed: number;
  total?: number;
  validEvery?: number;
  /** Prefix of the valid orders' ids (default `F`): a second stream with another prefix places new orders. */
  idPrefix?: string;
}

/** Reason keys (docs/mqtt.md, "Rejected messages") the stream is built to reach. */
export const FUZZ_REASON_KEYS = [
  'not-json',
  'too-large',
  'too-deep',
  'not-utf8',
  'not-object',
  'unknown-type',
  'wrong-topic',
  'items[].qty',
  'orderId',
] as const;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const nest = (depth: number): unknown => (depth === 0 ? 1 : { a: [nest(depth - 1)] });

/** A valid order.placed (SKUs of test/orders/harness.ts MENU and of config/traycheck.example.yaml). */
export const fuzzValidOrder = (id: string): Record<string, unknown> => ({
  type: 'order.placed',
  orderId: id,
  eventId: `fuzz-${id}`,
  items: [
    { sku: 'COMBO1', qty: 1 },
    { sku: 'FRIES', qty: 2, modifiers: ['no salt'] },
  ],
  placedAt: '2025-03-01T12:00:00Z',
});

/** Deterministically invalid payloads, one family at a time. */
function invalid(rng: Rng, i: number): FuzzMsg {
  const base = fuzzValidOrder(`bad-${i}`);
  const kind = i % 12;
  const pos = (payload: Buffer): FuzzMsg => ({ topic: 'pos', payload, valid: false });
  switch (kind) {
    case 0: {
      // random bytes starting with a control character: never JSON
      const b = Buffer.alloc(1 + Math.floor(rng() * 300));
      for (let k = 0; k < b.length; k++) b[k] = Math.floor(rng() * 256);
      b[0] = Math.floor(rng() * 9);
      return { topic: pick(rng, ['pos', 'kds'] as const), payload: b, valid: false };
    }
    case 1: {
      const full = JSON.stringify(base);
      return pos(Buffer.from(full.slice(0, 1 + Math.floor(rng() * (full.length - 2)))));
    }
    case 2: {
      const bad = pick(rng, [
        { orderId: 42 },
        { orderId: null },
        { orderId: '' },
        { orderId: 'x'.repeat(65) },
        { orderId: 'a\u0000b' },
        { items: 'COMBO1' },
        { items: {} },
        { items: [] },
        { items: null },
        { items: [{ sku: 'COMBO1', qty: '1' }] },
        { items: [{ sku: 'COMBO1', qty: 1.5 }] },
        { items: [{ sku: 'COMBO1', qty: -3 }] },
        { items: [{ sku: 'COMBO1', qty: 0 }] },
        { items: [{ sku: 'COMBO1', qty: 101 }] },
        { items: [{ sku: 7, qty: 1 }] },
        { items: [{ qty: 1 }] },
        { items: [{ sku: 'COMBO1' }] },
        { items: [{ sku: 'COMBO1', qty: 1, modifiers: 'none' }] },
        { items: Array.from({ length: 101 }, () => ({ sku: 'FRIES', qty: 1 })) },
        { placedAt: 'yesterday' },
        { placedAt: -5 },
        { version: 0 },
        { eventId: '' },
      ]);
      return pos(json({ ...base, ...bad }));
    }
    case 3: {
      const big = pick(rng, [
        '1e308',
        '1e400',
        '-1e400',
        '9007199254740993',
        '123456789012345678901234567890',
      ]);
      const text = JSON.stringify(base).replace('"qty":2', `"qty":${big}`);
      if (text === JSON.stringify(base)) throw new Error('fuzz generator: qty not replaced');
      return pos(Buffer.from(text));
    }
    case 4:
      return pos(json({ ...base, extra: nest(5 + Math.floor(rng() * 60)) }));
    case 5:
      return pos(Buffer.from(`${'['.repeat(9 + Math.floor(rng() * 5000))}`));
    case 6:
      return pos(json({ ...base, note: 'x'.repeat(65_537 + Math.floor(rng() * 4000)) }));
    case 7:
      return pos(json({ ...base, type: pick(rng, ['order.exploded', 'ORDER.PLACED', '', 7, null]) }));
    case 8:
      return { topic: 'kds', payload: json({ ...base }), valid: false }; // placed on the KDS topic
    case 9:
      return pos(
        Buffer.from(pick(rng, ['null', 'true', '42', '"order"', '[]', '[{"type":"order.placed"}]', '', ' '])),
      );
    case 10:
      return pos(
        Buffer.concat([
          Buffer.from('{"type":"order.placed","orderId":"'),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from('"}'),
        ]),
      );
    default: {
      const { type: _t, ...rest } = base;
      return pos(json(rng() < 0.5 ? rest : { type: 'order.ready', station: 5, orderId: 'x' }));
    }
  }
}

/** `total` messages (default 10,000); message i is a valid order `F<i>` when i % validEvery === 0. */
export function generateFuzzStream({
  seed,
  total = 10_000,
  validEvery = 10,
  idPrefix = 'F',
}: FuzzOptions): FuzzMsg[] {
  const rng = mulberry32(seed);
  const msgs: FuzzMsg[] = [];
  for (let i = 0; i < total; i++) {
    if (i % validEvery === 0)
      msgs.push({ topic: 'pos', payload: json(fuzzValidOrder(`${idPrefix}${i}`)), valid: true });
    else msgs.push(invalid(rng, i));
  }
  return msgs;
}
