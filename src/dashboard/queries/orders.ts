// The order queue in menu words: a page of orders (store/queue-repo.ts), each with its latest verdict.
import type { Modifiers } from '../../config/schema.js';
import type { QueueRepo, QueueRow, QueueStatus } from '../../store/queue-repo.js';
import type { OrderLine } from '../../types.js';
import { differenceLines, orderLines, type Menu } from '../present.js';
import { parseJson } from './json.js';

export { QUEUE_STATUSES } from '../../store/queue-repo.js';

export interface QueuePage {
  now: number;
  recentMs: number;
  status: QueueStatus | null;
  page: number;
  pageSize: number;
}

const orderDto = (r: QueueRow, menu: Menu, modifiers: Modifiers) => ({
  orderId: r.order_id,
  version: r.version,
  status: r.status,
  station: r.station,
  placedAt: r.placed_at,
  readyAt: r.ready_at,
  updatedAt: r.updated_at,
  lines: orderLines(parseJson<OrderLine[]>(r.items_json, []), menu, modifiers),
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
});

/** `modifiers`: the config's section, so lines read "Burger Meal, no drink". */
export function orderQueue(repo: QueueRepo, menu: Menu, q: QueuePage, modifiers: Modifiers = {}) {
  const recentSince = q.now - q.recentMs;
  const counts = repo.counts(recentSince);
  const total = q.status ? counts[q.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const rows = repo.page({
    recentSince,
    status: q.status,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return {
    orders: rows.map((r) => orderDto(r, menu, modifiers)),
    total,
    page: q.page,
    pageSize: q.pageSize,
    counts,
  };
}
