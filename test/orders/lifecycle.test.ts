import { describe, expect, it } from 'vitest';
import { applyEvent, applyVerdict, type Outcome } from '../../src/orders/lifecycle.js';
import type { PosEvent } from '../../src/orders/payloads.js';
import type { Order, OrderStatus, VerdictResult } from '../../src/types.js';

const T = 1_740_830_400_000;
const order = (status: OrderStatus, over: Partial<Order> = {}): Order => ({
  orderId: '1',
  version: 1,
  station: null,
  channel: null,
  items: [{ sku: 'COMBO1', qty: 1 }],
  status,
  placedAt: T,
  readyAt: status === 'open' ? null : T + 1,
  updatedAt: T + 1,
  ...over,
});
const items = [{ sku: 'FRIES', qty: 2 }];
const ev = {
  placed: { type: 'order.placed', orderId: '1', items },
  updated: { type: 'order.updated', orderId: '1', items },
  cancelled: { type: 'order.cancelled', orderId: '1' },
  ready: { type: 'order.ready', orderId: '1', station: 'expo' },
  served: { type: 'order.served', orderId: '1' },
} satisfies Record<string, PosEvent>;

describe('applyEvent: status × event table', () => {
  const cases: [OrderStatus | null, keyof typeof ev, Outcome, OrderStatus | null][] = [
    [null, 'placed', 'created', 'open'],
    [null, 'updated', 'created', 'open'],
    [null, 'ready', 'pending', null],
    [null, 'served', 'pending', null],
    [null, 'cancelled', 'pending', null],
    ['open', 'placed', 'stale', 'open'],
    ['open', 'updated', 'changed', 'open'],
    ['open', 'ready', 'changed', 'ready'],
    ['open', 'served', 'changed', 'served'],
    ['open', 'cancelled', 'changed', 'cancelled'],
    ['ready', 'updated', 'changed', 'ready'],
    ['ready', 'ready', 'unchanged', 'ready'],
    ['ready', 'served', 'changed', 'served'],
    ['verified', 'updated', 'changed', 'ready'],
    ['mismatch', 'updated', 'changed', 'ready'],
    ['verified', 'ready', 'unchanged', 'verified'],
    ['verified', 'served', 'changed', 'served'],
    ['mismatch', 'cancelled', 'changed', 'cancelled'],
    ['served', 'served', 'unchanged', 'served'],
    ['served', 'ready', 'unchanged', 'served'],
    ['served', 'cancelled', 'changed', 'cancelled'],
    ['served', 'updated', 'changed', 'served'],
    ['cancelled', 'cancelled', 'unchanged', 'cancelled'],
    ['cancelled', 'served', 'unchanged', 'cancelled'],
    ['cancelled', 'ready', 'unchanged', 'cancelled'],
    ['expired', 'served', 'changed', 'served'],
    ['expired', 'ready', 'unchanged', 'expired'],
  ];
  it.each(cases)('%s + %s → %s (%s)', (status, kind, outcome, next) => {
    const r = applyEvent(status ? order(status) : null, ev[kind], T + 10);
    expect(r.outcome).toBe(outcome);
    expect(r.order?.status ?? null).toBe(next);
    expect(r.readyBump).toBe(status === 'open' && kind === 'ready');
    expect(r.reopened).toBe((status === 'verified' || status === 'mismatch') && kind === 'updated');
  });

  it('versions: placed defaults to 1, updates increment or take the explicit version', () => {
    expect(applyEvent(null, { ...ev.placed, version: 4 }, T).order?.version).toBe(4);
    expect(applyEvent(order('open', { version: 4 }), ev.updated, T).order?.version).toBe(5);
    expect(applyEvent(order('open', { version: 4 }), { ...ev.updated, version: 9 }, T).order?.version).toBe(
      9,
    );
    expect(applyEvent(order('open', { version: 4 }), { ...ev.updated, version: 4 }, T).outcome).toBe('stale');
    expect(applyEvent(order('open', { version: 1 }), { ...ev.placed, version: 2 }, T).outcome).toBe(
      'changed',
    );
    // an update identical to the stored order (QoS 1 redelivery without eventId) is a no-op
    expect(applyEvent(order('open'), { ...ev.updated, items: [{ sku: 'COMBO1', qty: 1 }] }, T).outcome).toBe(
      'unchanged',
    );
  });

  it('ready keeps the order station unless the KDS names one; placedAt accepts ISO and epoch ms', () => {
    expect(
      applyEvent(order('open', { station: 'drive' }), { type: 'order.ready', orderId: '1' }, T).order
        ?.station,
    ).toBe('drive');
    expect(applyEvent(order('open', { station: 'drive' }), ev.ready, T).order).toMatchObject({
      station: 'expo',
      readyAt: T,
    });
    expect(applyEvent(null, { ...ev.placed, placedAt: '2025-03-01T12:00:00+01:00' }, T).order?.placedAt).toBe(
      Date.parse('2025-03-01T11:00:00Z'),
    );
    expect(applyEvent(null, { ...ev.placed, placedAt: T - 5 }, T).order?.placedAt).toBe(T - 5);
    expect(applyEvent(null, ev.placed, T).order?.placedAt).toBe(T);
    expect(
      applyEvent(null, { ...ev.placed, items: [{ sku: 'A', qty: 1, extra: 1 } as never] }, T).order?.items,
    ).toEqual([{ sku: 'A', qty: 1 }]);
  });
});

describe('applyVerdict', () => {
  it.each<[OrderStatus, VerdictResult, OrderStatus | null]>([
    ['ready', 'ok', 'verified'],
    ['ready', 'mismatch', 'mismatch'],
    ['open', 'ok', 'verified'],
    ['mismatch', 'ok', 'verified'],
    ['verified', 'mismatch', 'mismatch'],
    ['verified', 'ok', null],
    ['ready', 'uncertain', null],
    ['ready', 'unlinked', null],
    ['served', 'ok', null],
    ['cancelled', 'mismatch', null],
    ['expired', 'ok', null],
  ])('%s + %s → %s', (status, result, next) => {
    expect(applyVerdict(order(status), result, T)?.status ?? null).toBe(next);
  });
});
