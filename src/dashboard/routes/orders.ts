// Order queue, verdict history and the manager's figures.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import { orderQueue } from '../queries/orders.js';
import { searchVerdicts } from '../queries/verdicts.js';
import { ErrorReply, ManagerStats, OrderRow, RangeStats, VerdictQuery, VerdictRow } from '../schemas.js';

const RangeQuery = Type.Object({
  from: Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' }),
  to: Type.Integer({ minimum: 1, description: 'Epoch ms, exclusive.' }),
});
/** A year and a bit: the longest range the manager view asks for (a custom one included). */
const MAX_RANGE_MS = 400 * 86_400_000;

const QueueQuery = Type.Object({
  recentMin: Type.Integer({
    minimum: 1,
    maximum: 1440,
    default: 60,
    description: 'Finished orders of the last N minutes are listed too.',
  }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 }),
});

export function orderRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.get<{ Querystring: Static<typeof QueueQuery> }>(
    '/api/orders',
    {
      schema: {
        summary: 'Order queue: open and ready orders plus recently verified, mismatched and served ones',
        querystring: QueueQuery,
        response: { 200: Type.Object({ orders: Type.Array(OrderRow) }) },
      },
    },
    (req) => ({
      orders: orderQueue(ctx.deps.db, ctx.menu, {
        now: Date.now(),
        recentMs: req.query.recentMin * 60_000,
        limit: req.query.limit,
      }),
    }),
  );

  app.get<{ Querystring: Static<typeof VerdictQuery> }>(
    '/api/verdicts',
    {
      schema: {
        summary: 'Verdict history, newest first: search by order id (prefix), result and date range',
        querystring: VerdictQuery,
        response: {
          200: Type.Object({
            items: Type.Array(VerdictRow),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
        },
      },
    },
    (req) => searchVerdicts(ctx.deps.db, ctx.menu, req.query),
  );

  app.get(
    '/api/stats',
    {
      schema: {
        summary: 'Manager figures for today and the last 7 days (local time)',
        response: { 200: ManagerStats },
      },
    },
    () => ctx.stats.manager(Date.now()),
  );

  app.get<{ Querystring: Static<typeof RangeQuery> }>(
    '/api/stats/range',
    {
      schema: {
        summary: 'Manager figures for any range (a shift, a month, custom) and the period just before it',
        querystring: RangeQuery,
        response: { 200: RangeStats, 400: ErrorReply },
      },
    },
    async (req, reply) => {
      const { from, to } = req.query;
      if (to <= from || to - from > MAX_RANGE_MS)
        return reply.code(400).send({ error: 'to must be after from, at most 400 days later' });
      return ctx.stats.range(from, to);
    },
  );
}
