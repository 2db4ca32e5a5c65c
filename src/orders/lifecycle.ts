// Order lifecycle, pure: (current order, validated event, receive time) → next order.
//   open → ready → verified | mismatch → served | cancelled | expired
// Events for an order we do not have yet (ready/served/cancelled before placed) come back as
// `pending`; the book keeps them and replays them when the order arrives.
import type { Order, OrderLine, OrderStatus, VerdictResult } from '../types.js';
import type { PosEvent } from './payloads.js';

export type Outcome =
  /** A new order. */
  | 'created'
  | 'changed'
  /** Nothing to do: a repeat (QoS 1 redelivery) or a no-op such as a second ready bump. */
  | 'unchanged'
  /** An older version than the one stored (orderId + version duplicate). */
  | 'stale'
  /** The order is not known yet: keep the event until it arrives. */
  | 'pending';

export interface Applied {
  outcome: Outcome;
  /** The order after the event (null when pending). */
  order: Order | null;
  /** The event bumped the order ready (emit 'orderReady'). */
  readyBump: boolean;
  /** A verified/mismatched order went back to ready/open because it changed. */
  reopened: boolean;
}

const TERMINAL: ReadonlySet<OrderStatus> = new Set(['served', 'cancelled', 'expired']);
export const isTerminal = (s: OrderStatus): boolean => TERMINAL.has(s);

/** Keep only the fields of the contract (a POS may send more per line). */
export function normalizeItems(items: readonly OrderLine[]): OrderLine[] {
  return items.map((l) => ({
    sku: l.sku,
    qty: l.qty,
    ...(l.modifiers?.length ? { modifiers: [...l.modifiers] } : {}),
  }));
}

export function parsePlacedAt(v: string | number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const ms = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(ms) ? ms : fallback;
}

const same = (a: Applied['order'], outcome: Outcome): Applied => ({
  outcome,
  order: a,
  readyBump: false,
  reopened: false,
});

export interface ApplyOptions {
  /**
   * POS order numbers are recycled (often daily): an order.placed for a finished order (served,
   * cancelled, expired) last changed at least this long ago is a new order under the same id.
   */
  recycleAfterMs?: number;
}

export function applyEvent(stored: Order | null, ev: PosEvent, ts: number, opts: ApplyOptions = {}): Applied {
  let current = stored;
  if (
    current &&
    ev.type === 'order.placed' &&
    isTerminal(current.status) &&
    opts.recycleAfterMs !== undefined &&
    ts - current.updatedAt >= opts.recycleAfterMs
  ) {
    current = null;
  }
  switch (ev.type) {
    case 'order.placed':
    case 'order.updated': {
      if (!current) {
        const order: Order = {
          orderId: ev.orderId,
          version: ev.version ?? 1,
          station: ev.station ?? null,
          channel: ev.channel ?? null,
          items: normalizeItems(ev.items),
          status: 'open',
          placedAt: parsePlacedAt(ev.placedAt, ts),
          readyAt: null,
          updatedAt: ts,
        };
        return { outcome: 'created', order, readyBump: false, reopened: false };
      }
      // order.placed is version 1 unless it says otherwise; a re-sent placed is a duplicate.
      const explicit = ev.version ?? (ev.type === 'order.placed' ? 1 : undefined);
      if (explicit !== undefined && explicit <= current.version) return same(current, 'stale');
      const items = normalizeItems(ev.items);
      const station = ev.station ?? current.station ?? null;
      const channel = ev.channel ?? current.channel ?? null;
      if (
        explicit === undefined &&
        JSON.stringify(items) === JSON.stringify(current.items) &&
        station === (current.station ?? null) &&
        channel === (current.channel ?? null)
      ) {
        return same(current, 'unchanged');
      }
      const reopened = current.status === 'verified' || current.status === 'mismatch';
      const status: OrderStatus = reopened ? (current.readyAt != null ? 'ready' : 'open') : current.status;
      return {
        outcome: 'changed',
        order: {
          ...current,
          version: explicit ?? current.version + 1,
          items,
          station,
          channel,
          status,
          updatedAt: ts,
        },
        readyBump: false,
        reopened,
      };
    }
    case 'order.ready': {
      if (!current) return same(null, 'pending');
      if (current.status !== 'open') return same(current, 'unchanged');
      const station = ev.station ?? current.station ?? null;
      return {
        outcome: 'changed',
        order: { ...current, status: 'ready', readyAt: ts, station, updatedAt: ts },
        readyBump: true,
        reopened: false,
      };
    }
    case 'order.served': {
      if (!current) return same(null, 'pending');
      if (current.status === 'served' || current.status === 'cancelled') return same(current, 'unchanged');
      return {
        outcome: 'changed',
        order: { ...current, status: 'served', updatedAt: ts },
        readyBump: false,
        reopened: false,
      };
    }
    case 'order.cancelled': {
      if (!current) return same(null, 'pending');
      if (current.status === 'cancelled') return same(current, 'unchanged');
      return {
        outcome: 'changed',
        order: { ...current, status: 'cancelled', updatedAt: ts },
        readyBump: false,
        reopened: false,
      };
    }
  }
}

/**
 * A verdict on an active order: ok → verified, mismatch → mismatch. `uncertain`/`unlinked` leave it
 * as it is (the tray may settle again). Returns null when nothing changes.
 */
export function applyVerdict(current: Order, result: VerdictResult, ts: number): Order | null {
  if (isTerminal(current.status)) return null;
  const status: OrderStatus | null = result === 'ok' ? 'verified' : result === 'mismatch' ? 'mismatch' : null;
  if (status === null || status === current.status) return null;
  return { ...current, status, updatedAt: ts };
}
