// The order book: applies validated POS/KDS events to stored orders (lifecycle.ts) in one SQLite
// transaction per message, keeps the audit trail, replays events that came before their order,
// expires stale orders, and answers the queries verification needs.
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { OrdersRepo } from '../store/orders-repo.js';
import type { Order, OrderReady, OrderStatus, VerdictResult } from '../types.js';
import { applyEvent, applyVerdict, type Outcome } from './lifecycle.js';
import type { PosEvent } from './payloads.js';

export interface HandleResult {
  /** `duplicate`: already stored (same eventId, or a repeat without eventId); acknowledged, not stored again. */
  outcome: Outcome | 'duplicate';
  order: Order | null;
}

export interface OrderBook {
  /** Applies one validated event (called inside the MQTT message handler; synchronous). */
  handle(ev: PosEvent, topic: string, ts: number): HandleResult;
  /** Orders bumped ready and not yet verified, oldest bump first (station null: any). */
  readyAt(station: string | null): Order[];
  /** Open orders placed within the last `minutes` before `now`, oldest first. */
  openWithin(minutes: number, now: number): Order[];
  get(orderId: string): Order | null;
  /** ok → verified, mismatch → mismatch; other results leave the order as it is. */
  markVerified(orderId: string, result: VerdictResult): Order | null;
  list(opts?: { status?: OrderStatus | readonly OrderStatus[]; limit?: number }): Order[];
  /** Expires active orders older than the TTL; drops pending events as old. Returns expired orders. */
  sweep(now: number): Order[];
  stats(): BookStats;
}

export interface BookStats {
  created: number;
  changed: number;
  duplicates: number;
  stale: number;
  pending: number;
  replayed: number;
  orphaned: number;
  expired: number;
  reopened: number;
}

export interface OrderBookDeps {
  repo: OrdersRepo;
  bus: EventBus;
  log: Logger;
  ttlMinutes: number;
  now?: () => number;
}

export function createOrderBook({ repo, bus, log, ttlMinutes, now = Date.now }: OrderBookDeps): OrderBook {
  const stats: BookStats = {
    created: 0,
    changed: 0,
    duplicates: 0,
    stale: 0,
    pending: 0,
    replayed: 0,
    orphaned: 0,
    expired: 0,
    reopened: 0,
  };

  /** Apply events waiting for `order`, in arrival order; returns the order after each change. */
  const replayPending = (order: Order, changes: Order[], bumps: OrderReady[]): Order => {
    const waiting = repo.pendingFor(order.orderId);
    let cur = order;
    for (const e of waiting) {
      const r = applyEvent(cur, JSON.parse(e.payloadJson) as PosEvent, e.receivedAt);
      if (r.order && r.outcome === 'changed') {
        cur = r.order;
        changes.push(cur);
        if (r.readyBump) bumps.push({ orderId: cur.orderId, station: cur.station ?? null, ts: e.receivedAt });
      }
    }
    if (waiting.length) {
      repo.markApplied(waiting.map((e) => e.id));
      stats.replayed += waiting.length;
      log.info(
        { orderId: order.orderId, events: waiting.map((e) => e.type) },
        'applied events that arrived before the order',
      );
    }
    return cur;
  };

  const emit = (changes: Order[], bumps: OrderReady[]): void => {
    for (const o of changes) bus.emit('order', o);
    for (const b of bumps) bus.emit('orderReady', b);
  };

  return {
    handle(ev, topic, ts) {
      const changes: Order[] = [];
      const bumps: OrderReady[] = [];
      let reopened = false;
      const result = repo.transaction((): HandleResult => {
        const current = repo.get(ev.orderId);
        const r = applyEvent(current, ev, ts, { recycleAfterMs: ttlMinutes * 60_000 });
        const eventId = ev.eventId ?? null;
        if (eventId === null && (r.outcome === 'unchanged' || r.outcome === 'stale'))
          return { outcome: 'duplicate', order: current };
        const appended = repo.appendEvent({
          orderId: ev.orderId,
          eventId,
          type: ev.type,
          topic,
          payloadJson: JSON.stringify(ev),
          receivedAt: ts,
          pending: r.outcome === 'pending',
        });
        if (!appended) return { outcome: 'duplicate', order: current };
        if (!r.order || (r.outcome !== 'created' && r.outcome !== 'changed'))
          return { outcome: r.outcome, order: r.order };
        changes.push(r.order);
        if (r.readyBump) bumps.push({ orderId: r.order.orderId, station: r.order.station ?? null, ts });
        reopened = r.reopened;
        const final = r.outcome === 'created' ? replayPending(r.order, changes, bumps) : r.order;
        repo.upsert(final);
        return { outcome: r.outcome, order: final };
      });
      if (reopened) stats.reopened++;
      switch (result.outcome) {
        case 'duplicate':
          stats.duplicates++;
          break;
        case 'created':
          stats.created++;
          break;
        case 'changed':
          stats.changed++;
          break;
        case 'stale':
          stats.stale++;
          break;
        case 'pending':
          stats.pending++;
          break;
        case 'unchanged':
          break;
      }
      emit(changes, bumps);
      return result;
    },
    readyAt: (station) => repo.ready(station),
    openWithin: (minutes, at) => repo.openSince(at - minutes * 60_000),
    get: (orderId) => repo.get(orderId),
    markVerified(orderId, result) {
      const ts = now();
      const next = repo.transaction(() => {
        const cur = repo.get(orderId);
        const n = cur ? applyVerdict(cur, result, ts) : null;
        if (n) repo.upsert(n);
        return n;
      });
      if (next) bus.emit('order', next);
      return next ?? repo.get(orderId);
    },
    list: (opts = {}) => repo.list(opts),
    sweep(at) {
      const cutoff = at - ttlMinutes * 60_000;
      const { expired, orphaned } = repo.transaction(() => ({
        expired: repo.expireBefore(cutoff, at),
        orphaned: repo.dropPendingBefore(cutoff),
      }));
      stats.expired += expired.length;
      stats.orphaned += orphaned;
      if (expired.length) log.info({ count: expired.length, ttlMinutes }, 'orders expired');
      if (orphaned)
        log.warn({ count: orphaned }, 'KDS/POS events whose order never arrived were dropped from waiting');
      for (const o of expired) bus.emit('order', o);
      return expired;
    },
    stats: () => ({ ...stats }),
  };
}
