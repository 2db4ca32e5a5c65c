// Live events (SSE) and Prometheus metrics.
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { METRICS_CONTENT_TYPE } from '../metrics.js';

export const streamRoutes: DashboardPlugin = (app, { ctx }, done) => {
  app.get(
    '/api/events',
    {
      schema: {
        summary:
          'Server-Sent Events: alert, verdict, camera, order with ids; hello, ping (each heartbeat), resync. Last-Event-ID or ?since= replays what was missed',
        produces: ['text/event-stream'],
        querystring: Type.Object({
          since: Type.Optional(Type.String({ maxLength: 64, description: 'Last event id seen.' })),
        }),
      },
    },
    (req, reply) => {
      const s = req.session;
      if (!s) throw new Error('unreachable: staff route without session');
      // After a page had to open a new EventSource (it cannot set Last-Event-ID) it sends ?since=.
      const header = req.headers['last-event-id'];
      const since = typeof header === 'string' ? header : req.query.since;
      reply.hijack();
      ctx.streams.add(reply.raw, { username: s.username, sessionHash: s.idHash });
      ctx.sse.attach(reply.raw, ctx.headers, s.username, since?.slice(0, 64));
    },
  );

  app.get(
    '/metrics',
    {
      config: { access: 'monitor' },
      schema: { summary: 'Prometheus metrics (text format 0.0.4)', produces: ['text/plain'] },
    },
    async (_req, reply) => reply.type(METRICS_CONTENT_TYPE).send(ctx.metrics.render()),
  );
  done();
};
