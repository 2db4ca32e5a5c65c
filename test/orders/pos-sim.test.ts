// The simulated POS (src/sim/pos*.ts): its stream is realistic and valid against the contract,
// and it drives the real orders stage end to end.
import { afterEach, describe, expect, it } from 'vitest';
import { validateMessage } from '../../src/orders/validate.js';
import { createPosSimulator, type PosSimulator } from '../../src/sim/pos.js';
import { posStream, rushMultiplier, type SimEvent } from '../../src/sim/pos-stream.js';
import { waitFor } from '../helpers/wait.js';
import { MENU, removeDir, startStage, tempDataDir, type Stage } from './harness.js';

const localMs = (hour: number): number => new Date(2025, 2, 3, hour, 0, 0).getTime();

describe('POS stream', () => {
  it('is deterministic per seed, time-ordered and valid against the MQTT contract', () => {
    const opts = { menu: MENU, seed: 7, ratePerMin: 5, startMs: localMs(12), maxOrders: 300 };
    const a = [...posStream(opts)];
    expect([...posStream(opts)]).toEqual(a);
    expect(a.filter((e) => e.payload.type === 'order.placed')).toHaveLength(300);
    for (let i = 1; i < a.length; i++) expect((a[i]?.atMs ?? 0) >= (a[i - 1]?.atMs ?? 0)).toBe(true);
    const ids = new Set<unknown>();
    for (const e of a) {
      const v = validateMessage(Buffer.from(JSON.stringify(e.payload)), e.channel, {
        maxPayloadBytes: 65536,
        maxNestingDepth: 8,
      });
      expect(v.ok, JSON.stringify(e.payload)).toBe(true);
      expect(ids.has(e.payload.eventId)).toBe(false);
      ids.add(e.payload.eventId);
    }
    const byOrder = new Map<string, SimEvent[]>();
    for (const e of a) byOrder.set(e.payload.orderId, [...(byOrder.get(e.payload.orderId) ?? []), e]);
    let cancelled = 0;
    let updated = 0;
    for (const evs of byOrder.values()) {
      const types = evs.map((e) => e.payload.type);
      expect(types[0]).toBe('order.placed');
      if (types.includes('order.cancelled')) {
        cancelled++;
        expect(types).not.toContain('order.ready');
      } else expect(types).toContain('order.ready');
      if (types.includes('order.updated')) updated++;
      if (types.includes('order.served'))
        expect(types.indexOf('order.served')).toBeGreaterThan(types.indexOf('order.ready'));
    }
    expect(cancelled).toBeGreaterThan(0);
    expect(updated).toBeGreaterThan(0);
    const skus = new Map<string, number>();
    for (const e of a)
      if (e.payload.type === 'order.placed')
        for (const l of e.payload.items as { sku: string }[]) skus.set(l.sku, (skus.get(l.sku) ?? 0) + 1);
    // Meals are drawn more often than sides, gift cards rarely.
    expect(skus.get('COMBO1') ?? 0).toBeGreaterThan(skus.get('FRIES') ?? 0);
    expect(skus.get('GIFT_CARD') ?? 0).toBeLessThan(skus.get('FRIES') ?? 0);
  });

  it('follows the rate and the rush-hour profile', () => {
    const ordersIn = (hour: number, rushHours: boolean): number => {
      let n = 0;
      for (const e of posStream({ menu: MENU, seed: 3, ratePerMin: 2, startMs: localMs(hour), rushHours })) {
        if (e.atMs >= localMs(hour) + 3_600_000) break;
        if (e.payload.type === 'order.placed') n++;
      }
      return n;
    };
    const flat = ordersIn(12, false);
    expect(flat).toBeGreaterThan(90); // Poisson, mean 120
    expect(flat).toBeLessThan(150);
    expect(rushMultiplier(12)).toBe(3);
    const lunch = ordersIn(12, true);
    const night = ordersIn(3, true);
    expect(lunch).toBeGreaterThan(2 * flat * 0.8);
    expect(night).toBeLessThan(flat / 2);
  });
});

describe('POS simulator over MQTT', () => {
  const dir = tempDataDir();
  let stage: Stage | null = null;
  let sim: PosSimulator | null = null;
  afterEach(async () => {
    await sim?.stop();
    await stage?.stop();
    removeDir(dir);
  });

  it('drives the orders stage through the embedded broker', async () => {
    stage = await startStage({ dataDir: dir, mqtt: { embedded: { host: '127.0.0.1', port: 0 } } });
    expect(await stage.orders.mqtt.whenReady(10_000)).toBe(true);
    sim = createPosSimulator({
      url: stage.orders.brokerUrl(),
      storeId: 's1',
      menu: MENU,
      ratePerMin: 30,
      seed: 11,
      speed: Infinity,
      maxOrders: 40,
      cancelRate: 0.1,
    });
    await sim.start();
    await sim.done();
    const stats = sim.stats();
    expect(stats).toMatchObject({ orders: 40, errors: 0 });
    const s = stage;
    await waitFor(() => s.count('SELECT COUNT(*) AS n FROM order_events') === stats.events, {
      timeoutMs: 20_000,
      message: 'all simulated events stored',
    });
    expect(s.count('SELECT COUNT(*) AS n FROM orders')).toBe(40);
    expect(s.count("SELECT COUNT(*) AS n FROM orders WHERE status = 'cancelled'")).toBe(
      stats.byType['order.cancelled'] ?? 0,
    );
    expect(s.count("SELECT COUNT(*) AS n FROM orders WHERE status = 'served'")).toBe(
      stats.byType['order.served'] ?? 0,
    );
    expect(s.count('SELECT COUNT(*) AS n FROM rejected_messages')).toBe(0);
  });
});
