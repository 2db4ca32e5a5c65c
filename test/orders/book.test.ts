import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from '../../src/events.js';
import { silentLogger } from '../../src/log.js';
import { createOrderBook, type OrderBook } from '../../src/orders/book.js';
import type { PosEvent } from '../../src/orders/payloads.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createOrdersRepo, type OrdersRepo } from '../../src/store/orders-repo.js';
import type { Order, OrderReady } from '../../src/types.js';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const items = [{ sku: 'COMBO1', qty: 1 }];

describe('order book (real SQLite)', () => {
  let dir: string;
  let db: Db;
  let repo: OrdersRepo;
  let bus: EventBus;
  let book: OrderBook;
  let orders: Order[];
  let readies: OrderReady[];
  let clock: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'traycheck-book-'));
    db = openDatabase(join(dir, 'traycheck.db'));
    repo = createOrdersRepo(db);
    bus = createEventBus(silentLogger());
    orders = [];
    readies = [];
    bus.on('order', 'test', (o) => void orders.push(o));
    bus.on('orderReady', 'test', (r) => void readies.push(r));
    clock = T0;
    book = createOrderBook({ repo, bus, log: silentLogger(), ttlMinutes: 120, now: () => clock });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const handle = (ev: PosEvent, ts = clock) =>
    book.handle(
      ev,
      ev.type.startsWith('order.ready') || ev.type === 'order.served' ? 'tc/s/kds' : 'tc/s/pos',
      ts,
    );

  it('stores a placed order with its audit event and emits it', () => {
    const r = handle({
      type: 'order.placed',
      orderId: 'A1',
      items,
      placedAt: '2025-03-01T11:59:00Z',
      channel: 'kiosk',
      eventId: 'e1',
    });
    expect(r.outcome).toBe('created');
    expect(book.get('A1')).toMatchObject({
      orderId: 'A1',
      version: 1,
      status: 'open',
      channel: 'kiosk',
      placedAt: T0 - 60_000,
      items,
    });
    expect(orders.map((o) => o.orderId)).toEqual(['A1']);
    expect(repo.eventsFor('A1').map((e) => e.type)).toEqual(['order.placed']);
  });

  it('is idempotent for the same eventId and for the same order and version', () => {
    const ev: PosEvent = { type: 'order.placed', orderId: 'A1', items, eventId: 'e1' };
    expect(handle(ev).outcome).toBe('created');
    expect(handle(ev).outcome).toBe('duplicate');
    const noId: PosEvent = { type: 'order.placed', orderId: 'B1', items };
    expect(handle(noId).outcome).toBe('created');
    expect(handle(noId).outcome).toBe('duplicate');
    const upd: PosEvent = { type: 'order.updated', orderId: 'B1', items: [{ sku: 'FRIES', qty: 2 }] };
    expect(handle(upd).outcome).toBe('changed');
    expect(handle(upd).outcome).toBe('duplicate'); // redelivered update without eventId or version
    expect(handle({ ...upd, version: 2 }).outcome).toBe('duplicate'); // same order + version
    expect(repo.count('orders')).toBe(2);
    expect(repo.count('order_events')).toBe(3);
    expect(book.stats().duplicates).toBe(4);
    expect(book.get('B1')?.version).toBe(2);
  });

  it('order.updated replaces the items, increments the version and re-opens verification', () => {
    handle({ type: 'order.placed', orderId: 'A1', items });
    handle({ type: 'order.ready', orderId: 'A1', station: 'expo' }, T0 + 1000);
    expect(book.markVerified('A1', 'ok')?.status).toBe('verified');
    orders.length = 0;
    const r = handle(
      { type: 'order.updated', orderId: 'A1', items: [{ sku: 'NUGGETS6', qty: 2 }] },
      T0 + 5000,
    );
    expect(r.order).toMatchObject({
      version: 2,
      status: 'ready',
      items: [{ sku: 'NUGGETS6', qty: 2 }],
      readyAt: T0 + 1000,
    });
    expect(orders).toHaveLength(1);
    expect(book.readyAt('expo').map((o) => o.orderId)).toEqual(['A1']);
    handle({ type: 'order.placed', orderId: 'B2', items });
    book.markVerified('B2', 'mismatch');
    expect(handle({ type: 'order.updated', orderId: 'B2', items, version: 7 }).order).toMatchObject({
      status: 'open',
      version: 7,
    });
    expect(handle({ type: 'order.updated', orderId: 'B2', items, version: 3 }).outcome).toBe('duplicate');
    expect(book.stats().reopened).toBe(2);
  });

  it('keeps a ready bump that arrives before its order and applies it when the order comes', () => {
    expect(handle({ type: 'order.ready', orderId: 'C3', station: 'drive', eventId: 'r1' }, T0).outcome).toBe(
      'pending',
    );
    expect(book.get('C3')).toBeNull();
    expect(readies).toHaveLength(0);
    const r = handle({ type: 'order.placed', orderId: 'C3', items, eventId: 'p1' }, T0 + 2000);
    expect(r.order).toMatchObject({ status: 'ready', readyAt: T0, station: 'drive' });
    expect(book.get('C3')?.status).toBe('ready');
    expect(readies).toEqual([{ orderId: 'C3', station: 'drive', ts: T0 }]);
    expect(repo.pendingFor('C3')).toHaveLength(0);
    expect(repo.eventsFor('C3').map((e) => e.type)).toEqual(['order.ready', 'order.placed']);
  });

  it('a cancel before the order arrives leaves the order cancelled; an update creates a missing order', () => {
    handle({ type: 'order.cancelled', orderId: 'D4' });
    expect(handle({ type: 'order.placed', orderId: 'D4', items }).order?.status).toBe('cancelled');
    expect(handle({ type: 'order.updated', orderId: 'E5', items, version: 2 }).outcome).toBe('created');
    expect(handle({ type: 'order.placed', orderId: 'E5', items: [{ sku: 'X', qty: 1 }] }).outcome).toBe(
      'duplicate',
    ); // older than v2
    expect(book.get('E5')).toMatchObject({ version: 2, items });
  });

  it('lifecycle: served, cancelled, queries and markVerified', () => {
    handle({ type: 'order.placed', orderId: 'O1', items }, T0);
    handle({ type: 'order.placed', orderId: 'O2', items, station: 'expo' }, T0 + 1000);
    handle({ type: 'order.placed', orderId: 'O3', items }, T0 - 30 * 60_000);
    handle({ type: 'order.ready', orderId: 'O2' }, T0 + 3000);
    handle({ type: 'order.ready', orderId: 'O1', station: 'drive' }, T0 + 4000);
    expect(book.readyAt('expo').map((o) => o.orderId)).toEqual(['O2']);
    expect(book.readyAt('drive').map((o) => o.orderId)).toEqual(['O1']);
    expect(book.readyAt(null).map((o) => o.orderId)).toEqual(['O2', 'O1']);
    expect(readies.map((r) => r.orderId)).toEqual(['O2', 'O1']);
    expect(book.openWithin(10, T0 + 5000).map((o) => o.orderId)).toEqual([]);
    expect(book.openWithin(60, T0 + 5000).map((o) => o.orderId)).toEqual(['O3']);
    expect(book.markVerified('O2', 'uncertain')?.status).toBe('ready');
    expect(book.markVerified('O2', 'ok')?.status).toBe('verified');
    expect(book.readyAt('expo')).toEqual([]);
    handle({ type: 'order.served', orderId: 'O2' });
    handle({ type: 'order.cancelled', orderId: 'O3' });
    expect(book.markVerified('O3', 'ok')?.status).toBe('cancelled');
    expect(book.markVerified('nope', 'ok')).toBeNull();
    expect(book.list({ status: 'served' }).map((o) => o.orderId)).toEqual(['O2']);
    expect(book.list({ status: ['ready', 'cancelled'] }).map((o) => o.orderId)).toEqual(['O1', 'O3']);
    expect(book.list({ limit: 2 })).toHaveLength(2);
  });

  it('sweep expires active orders past the TTL and stops waiting for orders that never came', () => {
    handle({ type: 'order.placed', orderId: 'old', items }, T0);
    handle({ type: 'order.placed', orderId: 'served', items }, T0);
    handle({ type: 'order.served', orderId: 'served' }, T0);
    handle({ type: 'order.ready', orderId: 'ghost' }, T0);
    handle({ type: 'order.placed', orderId: 'new', items }, T0 + 100 * 60_000);
    orders.length = 0;
    const expired = book.sweep(T0 + 121 * 60_000);
    expect(expired.map((o) => o.orderId)).toEqual(['old']);
    expect(orders.map((o) => `${o.orderId}:${o.status}`)).toEqual(['old:expired']);
    expect(book.get('served')?.status).toBe('served');
    expect(book.get('new')?.status).toBe('open');
    expect(book.stats()).toMatchObject({ expired: 1, orphaned: 1 });
    expect(handle({ type: 'order.placed', orderId: 'ghost', items }).order?.status).toBe('open');
  });

  it('a failing store leaves nothing half-written', () => {
    handle({ type: 'order.ready', orderId: 'F1', eventId: 'r-f1' });
    db.exec("CREATE TRIGGER no_orders BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => handle({ type: 'order.placed', orderId: 'F1', items, eventId: 'p-f1' })).toThrow(
      /disk full/,
    );
    expect(repo.eventsFor('F1').map((e) => e.type)).toEqual(['order.ready']);
    expect(repo.pendingFor('F1')).toHaveLength(1);
    db.exec('DROP TRIGGER no_orders');
    expect(handle({ type: 'order.placed', orderId: 'F1', items, eventId: 'p-f1' }).order?.status).toBe(
      'ready',
    );
  });
});

describe('order ids recycled by the POS', () => {
  it('a new order.placed for a finished order older than the TTL starts a new order', async () => {
    const { applyEvent } = await import('../../src/orders/lifecycle.js');
    const done = {
      orderId: '7',
      version: 3,
      items,
      status: 'served' as const,
      placedAt: T0,
      updatedAt: T0,
      readyAt: T0,
      station: null,
      channel: null,
    };
    const ev = { type: 'order.placed' as const, orderId: '7', items: [{ sku: 'FRIES', qty: 1 }] };
    expect(applyEvent(done, ev, T0 + 60_000, { recycleAfterMs: 120 * 60_000 }).outcome).toBe('stale');
    const r = applyEvent(done, ev, T0 + 121 * 60_000, { recycleAfterMs: 120 * 60_000 });
    expect(r.outcome).toBe('created');
    expect(r.order).toMatchObject({
      version: 1,
      status: 'open',
      readyAt: null,
      items: [{ sku: 'FRIES', qty: 1 }],
    });
    expect(
      applyEvent({ ...done, status: 'open' }, ev, T0 + 121 * 60_000, { recycleAfterMs: 1 }).outcome,
    ).toBe('stale');
  });
});
