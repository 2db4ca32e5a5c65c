// The order queue as /orders pages it: open and ready orders plus recently finished ones, each with
// its latest verdict, newest first; one status or all, a bounded page at a time.
import type { Db } from './db.js';

export const QUEUE_STATUSES = ['open', 'ready', 'verified', 'mismatch', 'served'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** An `orders` row joined with its latest verdict. */
export interface QueueRow {
  order_id: string;
  version: number;
  status: string;
  station: string | null;
  placed_at: number;
  ready_at: number | null;
  updated_at: number;
  items_json: string;
  v_id: number | null;
  v_result: string | null;
  v_missing: string | null;
  v_extra: string | null;
  v_snapshot: string | null;
}

// Open and ready orders always; finished ones while they are recent (`recentSince`).
const IN_QUEUE = `(o.status IN ('open', 'ready')
   OR (o.status IN ('verified', 'mismatch', 'served') AND o.updated_at >= @recentSince))
  AND (@status IS NULL OR o.status = @status)`;

export function createQueueRepo(db: Db) {
  const page = db.prepare<
    { recentSince: number; status: string | null; limit: number; offset: number },
    QueueRow
  >(
    `SELECT o.*, v.id AS v_id, v.result AS v_result, v.missing_json AS v_missing, v.extra_json AS v_extra,
            v.snapshot_id AS v_snapshot
       FROM orders o
       LEFT JOIN verdicts v ON v.id = (SELECT MAX(id) FROM verdicts WHERE order_id = o.order_id)
      WHERE ${IN_QUEUE}
      ORDER BY o.placed_at DESC, o.order_id
      LIMIT @limit OFFSET @offset`,
  );
  const counts = db.prepare<{ recentSince: number; status: null }, { status: string; n: number }>(
    `SELECT o.status, COUNT(*) AS n FROM orders o WHERE ${IN_QUEUE} GROUP BY o.status`,
  );
  const items = db.prepare<[string], { items_json: string }>(
    'SELECT items_json FROM orders WHERE order_id = ?',
  );
  return {
    /** One page of the queue (one status, or all when null). */
    page: (q: { recentSince: number; status: QueueStatus | null; limit: number; offset: number }) =>
      page.all(q),
    /** How many orders of each status the queue holds. */
    counts(recentSince: number): Record<QueueStatus, number> {
      const out = Object.fromEntries(QUEUE_STATUSES.map((s) => [s, 0])) as Record<QueueStatus, number>;
      for (const r of counts.all({ recentSince, status: null }))
        if (r.status in out) out[r.status as QueueStatus] = r.n;
      return out;
    },
    /** An order's lines as stored (OrderLine[] JSON), null when the order is unknown. */
    itemsJson: (orderId: string): string | null => items.get(orderId)?.items_json ?? null,
  };
}

export type QueueRepo = ReturnType<typeof createQueueRepo>;
