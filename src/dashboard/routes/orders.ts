// The order queue (/orders), a bounded page at a time per status column.
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { orderQueue, QUEUE_STATUSES } from '../queries/orders.js';
import { OrderRow } from '../schemas.js';

/** The most orders one page may hold: a column on a wall tablet shows a dozen. */
export const ORDERS_PAGE_MAX = 100;

const QueueQuery = Type.Object({
  recentMin: Type.Integer({
    minimum: 1,
    maximum: 1440,
    default: 60,
    description: 'Finished orders of the last N minutes are listed too.',
  }),
  status: Type.Optional(
    Type.Union(
      QUEUE_STATUSES.map((s) => Type.Literal(s)),
      { description: 'One column of the queue; all when absent.' },
    ),
  ),
  page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: ORDERS_PAGE_MAX, default: 50 }),
});

const Counts = Type.Object(
  {
    open: Type.Integer(),
    ready: Type.Integer(),
    verified: Type.Integer(),
    mismatch: Type.Integer(),
    served: Type.Integer(),
  },
  { description: 'Orders of each status in the queue (every page).' },
);

export const orderRoutes: DashboardPlugin = (app, { ctx }, done) => {
  app.get(
    '/api/orders',
    {
      schema: {
        summary:
          'Order queue, newest first, one page: open and ready orders plus recently verified, mismatched and served ones',
        querystring: QueueQuery,
        response: {
          200: Type.Object({
            orders: Type.Array(OrderRow),
            total: Type.Integer({ description: 'Orders matching (all pages).' }),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            counts: Counts,
          }),
        },
      },
    },
    (req) =>
      orderQueue(
        ctx.repos.queue,
        ctx.menu,
        {
          now: Date.now(),
          recentMs: req.query.recentMin * 60_000,
          status: req.query.status ?? null,
          page: req.query.page,
          pageSize: req.query.pageSize,
        },
        ctx.deps.site.modifiers,
      ),
  );
  done();
};
