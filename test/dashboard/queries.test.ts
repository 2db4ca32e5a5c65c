import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Static } from '@sinclair/typebox';
import type { RangeStats } from '../../src/dashboard/schemas.js';
import { localMidnight, percentile } from '../../src/dashboard/queries/stats.js';
import { insertVerdict, makeVerdict } from './fake-alerts.js';
import {
  setupAdmin,
  startHarness,
  type Harness,
  type OrderList,
  type Session,
  type Stats,
  type VerdictPage,
} from './harness.js';

let h: Harness;
let admin: Session;
beforeEach(async () => {
  h = await startHarness();
  admin = await setupAdmin(h);
});
afterEach(async () => {
  await h.stop();
});
type RangeStatsBody = Static<typeof RangeStats>;
const get = (url: string) => h.app.inject({ url, headers: { cookie: admin.headers.cookie as string } });

describe('percentile', () => {
  it('uses nearest rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 95)).toBe(7);
    const xs = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(percentile(xs, 50)).toBe(100);
    expect(percentile(xs, 95)).toBe(190);
  });
});

describe('manager figures', () => {
  it('counts today and the last 7 days from verdicts and alerts', async () => {
    const now = Date.now();
    const today = localMidnight(now);
    const threeDaysAgo = localMidnight(now, 3) + 3_600_000;
    const tenDaysAgo = localMidnight(now, 10);
    const at = (t: number) => Math.min(t, now);
    // today: 3 ok, 2 mismatches (one corrected, one served with error), 1 unlinked
    for (let i = 0; i < 3; i++)
      insertVerdict(h.db, makeVerdict({ orderId: `t${i}`, result: 'ok', ts: at(today + 1000 + i) }));
    const a1 = h.alerts.raise(makeVerdict({ orderId: 'm1', missing: { fries: 2 }, ts: at(today + 2000) }), {
      latencyMs: 300,
    });
    const a2 = h.alerts.raise(
      makeVerdict({ orderId: 'm2', missing: { fries: 1, drink: 1 }, ts: at(today + 3000) }),
      { latencyMs: 500 },
    );
    h.alerts.resolve(a1.id, 'corrected');
    h.alerts.resolve(a2.id, 'served-with-error');
    insertVerdict(
      h.db,
      makeVerdict({ orderId: null, link: 'none', result: 'unlinked', ts: at(today + 4000) }),
    );
    // three days ago: 1 ok, 1 mismatch (corrected); ten days ago: outside every window
    insertVerdict(h.db, makeVerdict({ orderId: 'o1', result: 'ok', ts: threeDaysAgo }));
    const a3 = h.alerts.raise(makeVerdict({ orderId: 'o2', missing: { burger: 1 }, ts: threeDaysAgo + 1 }), {
      latencyMs: 900,
    });
    h.alerts.resolve(a3.id, 'corrected');
    insertVerdict(h.db, makeVerdict({ orderId: 'old', result: 'ok', ts: tenDaysAgo }));

    const s = (await get('/api/stats')).json<Stats>();
    expect(s.today).toMatchObject({
      traysVerified: 5,
      verdicts: 6,
      ok: 3,
      mismatches: 2,
      errorsCaught: 1,
      servedWithError: 1,
    });
    expect(s.today.accuracyRate).toBeCloseTo(3 / 5);
    expect(s.today.mostMissed).toEqual([
      { label: 'fries', name: 'Fries', count: 3 },
      { label: 'drink', name: 'Cola', count: 1 },
    ]);
    expect(s.today.latencyMs).toEqual({ p50: 300, p95: 500, n: 2 });
    expect(s.last7Days).toMatchObject({
      traysVerified: 7,
      ok: 4,
      mismatches: 3,
      errorsCaught: 2,
      servedWithError: 1,
    });
    expect(s.last7Days.latencyMs).toEqual({ p50: 500, p95: 900, n: 3 });
    expect(s.daily).toHaveLength(7);
    expect(s.daily[6]).toMatchObject({ traysVerified: 5, mismatches: 2, errorsCaught: 1 });
    expect(s.daily[3]).toMatchObject({ traysVerified: 2, mismatches: 1, errorsCaught: 1 });
    expect(s.daily.reduce((n, d) => n + d.traysVerified, 0)).toBe(7);
  });
});

describe('manager figures for any period', () => {
  it('counts extras, compares with the period before, and buckets errors by hour of day', async () => {
    const hour = 3_600_000;
    const to = localMidnight(Date.now()); // a whole past day: [yesterday, today)
    const from = to - 24 * hour;
    const at9 = localMidnight(from) + 9 * hour;
    h.alerts.raise(makeVerdict({ orderId: 'a', missing: { fries: 1 }, extra: { drink: 2 }, ts: at9 }));
    h.alerts.raise(makeVerdict({ orderId: 'b', extra: { drink: 1, burger: 1 }, ts: at9 + 60_000 }));
    h.alerts.raise(makeVerdict({ orderId: 'c', missing: { burger: 1 }, ts: at9 + 5 * hour }));
    // The day before: one mismatch, to compare with.
    h.alerts.raise(makeVerdict({ orderId: 'd', missing: { fries: 1 }, ts: from - 2 * hour }));

    const r = (await get(`/api/stats/range?from=${from}&to=${to}`)).json<RangeStatsBody>();
    expect(r.current).toMatchObject({ mismatches: 3, itemsMissing: 2, itemsExtra: 4 });
    expect(r.current.mostExtra).toEqual([
      { label: 'drink', name: 'Cola', count: 3 },
      { label: 'burger', name: 'Burger', count: 1 },
    ]);
    expect(r.previous).toMatchObject({ from: from - 24 * hour, to: from, mismatches: 1, itemsExtra: 0 });
    expect(r.hourly).toHaveLength(24);
    expect(r.hourly[9]).toBe(2);
    expect(r.hourly[14]).toBe(1);
    expect(r.hourly.reduce((a, b) => a + b, 0)).toBe(3);
    expect((await get(`/api/stats/range?from=${to}&to=${from}`)).statusCode).toBe(400);
  });
});

describe('history and orders', () => {
  it('searches verdicts by order id, result and date range, paged newest first', async () => {
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 30; i++) {
      insertVerdict(
        h.db,
        makeVerdict({
          orderId: String(1000 + i),
          result: i % 3 === 0 ? 'mismatch' : 'ok',
          missing: i % 3 === 0 ? { fries: 1 } : {},
          ts: base + i * 1000,
        }),
      );
    }
    const p1 = (await get('/api/verdicts?pageSize=10')).json<VerdictPage>();
    expect(p1.total).toBe(30);
    expect(p1.items).toHaveLength(10);
    expect(p1.items[0]?.orderId).toBe('1029');
    const p3 = (await get('/api/verdicts?pageSize=10&page=3')).json<VerdictPage>();
    expect(p3.items.at(-1)?.orderId).toBe('1000');
    const mism = (await get('/api/verdicts?result=mismatch&pageSize=100')).json<VerdictPage>();
    expect(mism.total).toBe(10);
    expect(mism.items[0]?.summary).toBe('Missing: 1 × Fries');
    expect((await get('/api/verdicts?orderId=1012')).json<VerdictPage>().items.map((v) => v.orderId)).toEqual(
      ['1012'],
    );
    expect((await get('/api/verdicts?orderId=101')).json<VerdictPage>().total).toBe(10);
    expect((await get('/api/verdicts?orderId=%25')).json<VerdictPage>().total).toBe(0); // LIKE wildcards are literal
    const range = (await get(`/api/verdicts?from=${base + 5000}&to=${base + 10_000}`)).json<VerdictPage>();
    expect(range.items.map((v) => v.orderId)).toEqual(['1009', '1008', '1007', '1006', '1005']);
    expect((await get('/api/verdicts?result=bogus')).statusCode).toBe(400);
    expect((await get('/api/verdicts?pageSize=5000')).statusCode).toBe(400);
  });

  it('lists the order queue with menu names and the latest verdict', async () => {
    const now = Date.now();
    const ins = h.db.prepare(
      'INSERT INTO orders (order_id, version, station, items_json, status, placed_at, updated_at) VALUES (?,?,?,?,?,?,?)',
    );
    ins.run('A1', 1, 'expo', JSON.stringify([{ sku: 'COMBO1', qty: 2 }]), 'open', now - 60_000, now - 60_000);
    ins.run(
      'A2',
      1,
      'expo',
      JSON.stringify([
        { sku: 'FRIES', qty: 1 },
        { sku: 'UNKNOWN', qty: 1 },
      ]),
      'mismatch',
      now - 50_000,
      now - 10_000,
    );
    ins.run(
      'A3',
      1,
      'expo',
      JSON.stringify([{ sku: 'COLA', qty: 1 }]),
      'served',
      now - 9_000_000,
      now - 8_000_000,
    );
    insertVerdict(h.db, makeVerdict({ orderId: 'A2', missing: { fries: 1 }, ts: now - 10_000 }));
    const { orders } = (await get('/api/orders')).json<OrderList>();
    expect(orders.map((o: { orderId: string }) => o.orderId)).toEqual(['A2', 'A1']);
    expect(orders[1]).toMatchObject({ status: 'open', lines: ['2 × Burger Meal'], verdict: null });
    expect(orders[0]).toMatchObject({
      status: 'mismatch',
      lines: ['1 × Fries', '1 × UNKNOWN'],
      verdict: { result: 'mismatch', summary: 'Missing: 1 × Fries' },
    });
  });
});

describe('order queue paging', () => {
  it('pages each status on the server, newest first, with totals and a bounded page size', async () => {
    const now = Date.now();
    const ins = h.db.prepare(
      'INSERT INTO orders (order_id, version, station, items_json, status, placed_at, updated_at) VALUES (?,?,?,?,?,?,?)',
    );
    const items = JSON.stringify([{ sku: 'FRIES', qty: 1 }]);
    // 30 open orders a minute apart (O00 newest), 5 ready, 2 served recently and 1 long ago.
    for (let i = 0; i < 30; i++)
      ins.run(`O${String(i).padStart(2, '0')}`, 1, 'expo', items, 'open', now - i * 60_000, now);
    for (let i = 0; i < 5; i++) ins.run(`R${i}`, 1, 'expo', items, 'ready', now - i * 1000, now);
    for (let i = 0; i < 2; i++) ins.run(`S${i}`, 1, 'expo', items, 'served', now - i * 1000, now - 1000);
    ins.run('OLD', 1, 'expo', items, 'served', now - 9_000_000, now - 9_000_000);
    type Page = OrderList & { total: number; page: number; pageSize: number; counts: Record<string, number> };

    const first = (await get('/api/orders?status=open&pageSize=12')).json<Page>();
    expect(first.orders.map((o) => o.orderId)).toEqual(
      Array.from({ length: 12 }, (_, i) => `O${String(i).padStart(2, '0')}`),
    );
    expect(first).toMatchObject({ total: 30, page: 1, pageSize: 12 });
    expect(first.counts).toEqual({ open: 30, ready: 5, verified: 0, mismatch: 0, served: 2 });
    const last = (await get('/api/orders?status=open&pageSize=12&page=3')).json<Page>();
    expect(last.orders.map((o) => o.orderId)).toEqual(['O24', 'O25', 'O26', 'O27', 'O28', 'O29']);
    expect((await get('/api/orders?status=open&pageSize=12&page=4')).json<Page>().orders).toEqual([]);
    const served = (await get('/api/orders?status=served')).json<Page>();
    expect(served.orders.map((o) => o.orderId)).toEqual(['S0', 'S1']);
    // Without a status: the whole queue, one page of the default size.
    const all = (await get('/api/orders')).json<Page>();
    expect(all).toMatchObject({ total: 37, pageSize: 50 });
    expect(all.orders).toHaveLength(37);
    // Bounded: a page of more than 100 or an unknown status is refused.
    expect((await get('/api/orders?pageSize=101')).statusCode).toBe(400);
    expect((await get('/api/orders?status=cancelled')).statusCode).toBe(400);
    expect((await get('/api/orders?page=0')).statusCode).toBe(400);
  });
});
