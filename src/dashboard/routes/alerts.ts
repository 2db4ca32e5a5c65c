// Open alerts, the one-tap acknowledge, and dismissing a tray served with an error.
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { AlertDto, ErrorReply } from '../schemas.js';

/** A tray served with an error stays on the staff screen this long unless dismissed. */
export const SERVED_WRONG_SHOW_MS = 60 * 60_000;
const SERVED_WRONG_MAX = 50;

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const alertRoutes: DashboardPlugin = (app, { ctx }, done) => {
  const { alerts } = ctx.deps;

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
                'Resolved as served-with-error within the last hour and not dismissed: call the customer back.',
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
      servedWrong: alerts
        .listServedWrong(Date.now() - SERVED_WRONG_SHOW_MS, SERVED_WRONG_MAX)
        .map((a) => ctx.presentAlert(a)),
    }),
  );

  app.get(
    '/api/alerts/:id',
    { schema: { summary: 'One alert', params: IdParams, response: { 200: AlertDto, 404: ErrorReply } } },
    async (req, reply) => {
      const a = alerts.get(req.params.id);
      return a ? ctx.presentAlert(a) : reply.code(404).send({ error: 'no such alert' });
    },
  );

  app.post(
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

  app.post(
    '/api/alerts/:id/dismiss',
    {
      config: { display: true },
      schema: {
        summary:
          'Take a tray served with an error off every wall screen (the customer was called back); records who',
        params: IdParams,
        response: { 200: AlertDto, 404: ErrorReply, 409: ErrorReply },
      },
    },
    async (req, reply) => {
      const a = alerts.dismiss(req.params.id, req.session?.username ?? 'unknown');
      if (!a) return reply.code(404).send({ error: 'no such alert' });
      if (a.resolution !== 'served-with-error')
        return reply.code(409).send({ error: 'only a tray served with an error can be dismissed' });
      return ctx.presentAlert(a);
    },
  );
  done();
};
