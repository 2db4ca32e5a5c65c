// Orders, their event audit trail (order_events) and rejected MQTT messages.
// Synchronous (better-sqlite3): the orders stage stores a message before MQTT acknowledges it.
import type { Order, OrderLine, OrderStatus, RejectedMessage } from '../types.js';
import type { Db } from './db.js';

interface RawOrder {
  order_id: string;
  version: number;
  station: string | null;
  channel: string | null;
  items_json: string;
  /** Written only by this repository, from the union type. */
  status: OrderStatus;
  placed_at: number;
  ready_at: number | null;
  updated_at: number;
}

export interface StoredEvent {
  id: number;
  orderId: string;
  eventId: string | null;
  type: string;
  topic: string;
  payloadJson: string;
  receivedAt: number;
}

interface RawEvent {
  id: number;
  order_id: string;
  event_id: string | null;
  type: string;
  topic: string;
  payload_json: string;
  received_at: number;
}

export interface NewEvent {
  orderId: string;
  eventId: string | null;
  type: string;
  topic: string;
  payloadJson: string;
  receivedAt: number;
  pending: boolean;
}

const toOrder = (r: RawOrder): Order => ({
  orderId: r.order_id,
  version: r.version,
  station: r.station,
  channel: r.channel,
  items: JSON.parse(r.items_json) as OrderLine[],
  status: r.status,
  placedAt: r.placed_at,
  readyAt: r.ready_at,
  updatedAt: r.updated_at,
});

const toEvent = (r: RawEvent): StoredEvent => ({
  id: r.id,
  orderId: r.order_id,
  eventId: r.event_id,
  type: r.type,
  topic: r.topic,
  payloadJson: r.payload_json,
  receivedAt: r.received_at,
});

export interface OrdersRepo {
  get(orderId: string): Order | null;
  upsert(order: Order): void;
  /** Appends to the audit trail; false when an event with this eventId is already stored. */
  appendEvent(e: NewEvent): boolean;
  /** Events waiting for their order, in arrival order. */
  pendingFor(orderId: string): StoredEvent[];
  markApplied(eventIds: number[]): void;
  /** Pending events received before `ts` stop waiting (their order never came); returns how many. */
  dropPendingBefore(ts: number): number;
  eventsFor(orderId: string): StoredEvent[];
  /** Orders bumped ready and not yet verified, oldest bump first; `station` null = any station. */
  ready(station: string | null): Order[];
  /** Open (not yet ready) orders placed at or after `sinceTs`, oldest first. */
  openSince(sinceTs: number): Order[];
  list(opts: { status?: OrderStatus | readonly OrderStatus[]; limit?: number }): Order[];
  /** Sets active orders placed before `ts` to expired; returns them as they are now. */
  expireBefore(ts: number, now: number): Order[];
  insertRejected(r: RejectedMessage): void;
  /** Keeps the newest `keep` rejected messages; returns how many were deleted. */
  trimRejected(keep: number): number;
  listRejected(limit: number): (RejectedMessage & { id: number })[];
  count(table: 'orders' | 'order_events' | 'rejected_messages'): number;
  transaction<T>(fn: () => T): T;
}

export function createOrdersRepo(db: Db): OrdersRepo {
  const getStmt = db.prepare<[string], RawOrder>('SELECT * FROM orders WHERE order_id = ?');
  const upsertStmt = db.prepare(
    `INSERT INTO orders (order_id, version, station, channel, items_json, status, placed_at, ready_at, updated_at)
     VALUES (@orderId, @version, @station, @channel, @itemsJson, @status, @placedAt, @readyAt, @updatedAt)
     ON CONFLICT(order_id) DO UPDATE SET version = excluded.version, station = excluded.station, channel = excluded.channel,
       items_json = excluded.items_json, status = excluded.status, placed_at = excluded.placed_at,
       ready_at = excluded.ready_at, updated_at = excluded.updated_at`,
  );
  const appendStmt = db.prepare(
    `INSERT OR IGNORE INTO order_events (order_id, event_id, type, topic, payload_json, received_at, pending)
     VALUES (@orderId, @eventId, @type, @topic, @payloadJson, @receivedAt, @pending)`,
  );
  const pendingStmt = db.prepare<[string], RawEvent>(
    'SELECT * FROM order_events WHERE order_id = ? AND pending = 1 ORDER BY id',
  );
  const appliedStmt = db.prepare<[number]>('UPDATE order_events SET pending = 0 WHERE id = ?');
  const dropPendingStmt = db.prepare<[number]>(
    'UPDATE order_events SET pending = 0 WHERE pending = 1 AND received_at < ?',
  );
  const eventsStmt = db.prepare<[string], RawEvent>(
    'SELECT * FROM order_events WHERE order_id = ? ORDER BY id',
  );
  const readyAnyStmt = db.prepare<[], RawOrder>(
    "SELECT * FROM orders WHERE status = 'ready' ORDER BY ready_at, placed_at",
  );
  const readyAtStmt = db.prepare<[string], RawOrder>(
    "SELECT * FROM orders WHERE status = 'ready' AND (station IS NULL OR station = ?) ORDER BY ready_at, placed_at",
  );
  const openStmt = db.prepare<[number], RawOrder>(
    "SELECT * FROM orders WHERE status = 'open' AND placed_at >= ? ORDER BY placed_at",
  );
  const expireStmt = db.prepare<[number, number], RawOrder>(
    `UPDATE orders SET status = 'expired', updated_at = ?
     WHERE status IN ('open', 'ready', 'verified', 'mismatch') AND placed_at < ? RETURNING *`,
  );
  const rejectStmt = db.prepare<[string, string, string, number]>(
    'INSERT INTO rejected_messages (topic, reason, payload, received_at) VALUES (?, ?, ?, ?)',
  );
  const trimStmt = db.prepare<[number]>(
    'DELETE FROM rejected_messages WHERE id <= (SELECT id FROM rejected_messages ORDER BY id DESC LIMIT 1 OFFSET ?)',
  );
  const rejectedStmt = db.prepare<
    [number],
    { id: number; topic: string; reason: string; payload: string; received_at: number }
  >('SELECT * FROM rejected_messages ORDER BY id DESC LIMIT ?');

  return {
    get: (orderId) => {
      const r = getStmt.get(orderId);
      return r ? toOrder(r) : null;
    },
    upsert(o) {
      upsertStmt.run({
        orderId: o.orderId,
        version: o.version,
        station: o.station ?? null,
        channel: o.channel ?? null,
        itemsJson: JSON.stringify(o.items),
        status: o.status,
        placedAt: o.placedAt,
        readyAt: o.readyAt ?? null,
        updatedAt: o.updatedAt,
      });
    },
    appendEvent: (e) => appendStmt.run({ ...e, pending: e.pending ? 1 : 0 }).changes === 1,
    pendingFor: (orderId) => pendingStmt.all(orderId).map(toEvent),
    markApplied(ids) {
      for (const id of ids) appliedStmt.run(id);
    },
    dropPendingBefore: (ts) => dropPendingStmt.run(ts).changes,
    eventsFor: (orderId) => eventsStmt.all(orderId).map(toEvent),
    ready: (station) => (station === null ? readyAnyStmt.all() : readyAtStmt.all(station)).map(toOrder),
    openSince: (sinceTs) => openStmt.all(sinceTs).map(toOrder),
    list({ status, limit = 100 }) {
      const statuses = status === undefined ? [] : typeof status === 'string' ? [status] : [...status];
      const where = statuses.length ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
      return db
        .prepare<unknown[], RawOrder>(
          `SELECT * FROM orders ${where} ORDER BY placed_at DESC, order_id DESC LIMIT ?`,
        )
        .all(...statuses, Math.max(1, Math.floor(limit)))
        .map(toOrder);
    },
    expireBefore: (ts, now) => expireStmt.all(now, ts).map(toOrder),
    insertRejected(r) {
      rejectStmt.run(r.topic, r.reason, r.payload, r.ts);
    },
    trimRejected: (keep) => trimStmt.run(keep).changes,
    listRejected: (limit) =>
      rejectedStmt
        .all(limit)
        .map((r) => ({ id: r.id, topic: r.topic, reason: r.reason, payload: r.payload, ts: r.received_at })),
    count: (table) => db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? 0,
    transaction: (fn) => db.transaction(fn)(),
  };
}
