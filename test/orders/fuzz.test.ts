// 10,000 hostile payloads interleaved with valid orders, through a real mosquitto: the stage
// never crashes, stores every valid order and rejects every invalid message with a reason.
import { afterAll, describe, expect, it } from 'vitest';
import type mqtt from 'mqtt';
import { mulberry32, type Rng } from '../../src/sim/rng.js';
import { startMosquitto, stopAllMosquittos } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';
import { posClient, removeDir, startStage, tempDataDir, type Stage } from './harness.js';

const TOTAL = 10_000;
const VALID_EVERY = 10;

interface Msg {
  topic: 'pos' | 'kds';
  payload: Buffer;
  valid: boolean;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const validOrder = (id: string): Record<string, unknown> => ({
  type: 'order.placed',
  orderId: id,
  eventId: `fuzz-${id}`,
  items: [
    { sku: 'COMBO1', qty: 1 },
    { sku: 'FRIES', qty: 2, modifiers: ['no salt'] },
  ],
  placedAt: '2025-03-01T12:00:00Z',
});
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const nest = (depth: number): unknown => (depth === 0 ? 1 : { a: [nest(depth - 1)] });

/** Deterministically invalid payloads, one family at a time. */
function invalid(rng: Rng, i: number): Msg {
  const base = validOrder(`bad-${i}`);
  const kind = i % 12;
  const pos = (payload: Buffer): Msg => ({ topic: 'pos', payload, valid: false });
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

function generate(seed: number): Msg[] {
  const rng = mulberry32(seed);
  const msgs: Msg[] = [];
  for (let i = 0; i < TOTAL; i++) {
    if (i % VALID_EVERY === 0) msgs.push({ topic: 'pos', payload: json(validOrder(`F${i}`)), valid: true });
    else msgs.push(invalid(rng, i));
  }
  return msgs;
}

describe('fuzzed POS input', () => {
  let stage: Stage | null = null;
  let client: mqtt.MqttClient | null = null;
  const dir = tempDataDir();
  afterAll(async () => {
    await client?.endAsync(true).catch(() => undefined);
    await stage?.stop();
    await stopAllMosquittos();
    removeDir(dir);
  });

  it(`survives ${TOTAL} messages, stores every valid order and rejects every invalid one with a reason`, async () => {
    const broker = await startMosquitto();
    stage = await startStage({ dataDir: dir, mqtt: { url: broker.url } });
    expect(await stage.orders.mqtt.whenReady(10_000)).toBe(true);
    client = await posClient(broker.url);
    const msgs = generate(20250301);
    const validCount = msgs.filter((m) => m.valid).length;
    const invalidCount = msgs.length - validCount;
    const t0 = Date.now();
    for (let i = 0; i < msgs.length; i += 500) {
      const c = client;
      await Promise.all(
        msgs.slice(i, i + 500).map((m) => c.publishAsync(`traycheck/s1/${m.topic}`, m.payload, { qos: 1 })),
      );
    }
    const s = stage;
    await waitFor(() => s.orders.counters().intake.received === TOTAL, {
      timeoutMs: 40_000,
      intervalMs: 100,
      message: 'all messages processed',
    });
    const elapsedMs = Date.now() - t0;

    expect(s.count("SELECT COUNT(*) AS n FROM orders WHERE order_id LIKE 'F%'")).toBe(validCount);
    const strays = s.db
      .prepare("SELECT order_id, items_json FROM orders WHERE order_id NOT LIKE 'F%' LIMIT 5")
      .all();
    expect(strays).toEqual([]);
    expect(s.count('SELECT COUNT(*) AS n FROM orders')).toBe(validCount);
    expect(s.count('SELECT COUNT(*) AS n FROM rejected_messages')).toBe(invalidCount);
    expect(
      s.count(
        'SELECT COUNT(*) AS n FROM rejected_messages WHERE length(trim(reason)) = 0 OR length(payload) > 2100',
      ),
    ).toBe(0);
    const c = s.orders.counters();
    expect(c.intake).toMatchObject({ received: TOTAL, accepted: validCount, rejected: invalidCount });
    expect(c.rejected.total).toBe(invalidCount);
    expect(Object.values(c.rejected.byReason).reduce((a, b) => a + b, 0)).toBe(invalidCount);
    for (const key of [
      'not-json',
      'too-large',
      'too-deep',
      'not-utf8',
      'not-object',
      'unknown-type',
      'wrong-topic',
      'items[].qty',
      'orderId',
    ]) {
      expect(c.rejected.byReason[key], key).toBeGreaterThan(0);
    }
    expect(c.mqtt.handlerErrors).toBe(0);
    expect(s.orders.mqtt.status().connected).toBe(true);
    console.info(
      `fuzz: ${TOTAL} messages in ${elapsedMs} ms (${Math.round((TOTAL / elapsedMs) * 1000)} msg/s)`,
    );
  }, 60_000);
});
