// The order queue: open and ready orders, plus recently finished ones, each with its latest verdict.
import type { Db } from '../../store/db.js';
import type { OrderLine } from '../../types.js';
import { differenceLines, orderLines, type Menu } from '../present.js';
import { parseJson } from './json.js';

export const QUEUE_STATUSES = ['open', 'ready', 'verified', 'mismatch', 'served'] as const;

interface Row {
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

export function orderQueue(db: Db, menu: Menu, opts: { now: number; recentMs: number; limit: number }) {
  const rows = db
    .prepare<[number, number], Row>(
      `SELECT o.*, v.id AS v_id, v.result AS v_result, v.missing_json AS v_missing, v.extra_json AS v_extra,
              v.snapshot_id AS v_snapshot
         FROM orders o
         LEFT JOIN verdicts v ON v.id = (SELECT MAX(id) FROM verdicts WHERE order_id = o.order_id)
        WHERE o.status IN ('open', 'ready')
           OR (o.status IN ('verified', 'mismatch', 'served') AND o.updated_at >= ?)
        ORDER BY o.placed_at DESC
        LIMIT ?`,
    )
    .all(opts.now - opts.recentMs, opts.limit);
  return rows.map((r) => ({
    orderId: r.order_id,
    version: r.version,
    status: r.status,
    station: r.station,
    placedAt: r.placed_at,
    readyAt: r.ready_at,
    updatedAt: r.updated_at,
    lines: orderLines(parseJson<OrderLine[]>(r.items_json, []), menu),
    verdict:
      r.v_id === null
        ? null
        : {
            id: r.v_id,
            result: r.v_result ?? 'unknown',
            summary: differenceLines(
              { missing: parseJson(r.v_missing, {}), extra: parseJson(r.v_extra, {}) },
              menu,
            ).join(' · '),
            snapshotId: r.v_snapshot,
          },
  }));
}
