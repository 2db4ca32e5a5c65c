// Open alerts and the one-tap acknowledge.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import { AlertDto, ErrorReply } from '../schemas.js';

/** A tray served with an error stays on the staff screen this long unless dismissed. */
export const SERVED_WRONG_SHOW_MS = 60 * 60_000;

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export function alertRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const { alerts } = ctx.deps;
  const servedWrong = ctx.deps.db.prepare<[number], { id: number }>(
    `SELECT id FROM alerts WHERE resolution = 'served-with-error' AND resolved_at >= ?
      ORDER BY resolved_at LIMIT 50`,
  );

  app.get(
    '/api/alerts',
    {
      schema: {
        summary: 'Open alerts, oldest first, and the trays served with an error in the last hour',
        response: {
          200: Type.Object({
            alerts: Type.Array(AlertDto),
            servedWrong: Type.Array(AlertDto, {
              description:
                'Resolved as served-with-error within SERVED_WRONG_SHOW_MS: call the customer back.',
            }),
          }),
        },
      },
    },
    () => ({
      alerts: alerts
        .listOpen()
        .filter((a) => a.status === 'open')
        .sort((a, b) => a.openedAt - b.openedAt)
        .map((a) => ctx.presentAlert(a)),
      servedWrong: servedWrong
        .all(Date.now() - SERVED_WRONG_SHOW_MS)
        .map((r) => alerts.get(r.id))
        .filter((a) => a !== null)
        .map((a) => ctx.presentAlert(a)),
    }),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/alerts/:id',
    { schema: { summary: 'One alert', params: IdParams, response: { 200: AlertDto, 404: ErrorReply } } },
    async (req, reply) => {
      const a = alerts.get(req.params.id);
      return a ? ctx.presentAlert(a) : reply.code(404).send({ error: 'no such alert' });
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/alerts/:id/ack',
    {
      config: { display: true },
      schema: {
        summary: 'Acknowledge an alert (staff saw it)',
        params: IdParams,
        response: { 200: AlertDto, 404: ErrorReply },
      },
    },
    async (req, reply) => {
      const a = alerts.acknowledge(req.params.id, req.session?.username ?? 'unknown');
      return a ? ctx.presentAlert(a) : reply.code(404).send({ error: 'no such alert' });
    },
  );
}
