// The manager's figures: today and the last 7 days, or any range against the period before it.
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { ErrorReply, ManagerStats, RangeStats } from '../schemas.js';

const RangeQuery = Type.Object({
  from: Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' }),
  to: Type.Integer({ minimum: 1, description: 'Epoch ms, exclusive.' }),
});
/** A year and a bit: the longest range the manager view asks for (a custom one included). */
const MAX_RANGE_MS = 400 * 86_400_000;

export const statsRoutes: DashboardPlugin = (app, { ctx }, done) => {
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

  app.get(
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
  done();
};
