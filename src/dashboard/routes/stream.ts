// Live events (SSE) and Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import { METRICS_CONTENT_TYPE } from '../metrics.js';

export function streamRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.get(
    '/api/events',
    {
      schema: {
        summary:
          'Server-Sent Events: alert, verdict, camera, order (text/event-stream; heartbeat comments every 15 s)',
        produces: ['text/event-stream'],
      },
    },
    (req, reply) => {
      reply.hijack();
      ctx.streams.add(reply.raw);
      reply.raw.on('close', () => ctx.streams.delete(reply.raw));
      ctx.sse.attach(reply.raw, ctx.headers, req.session?.username ?? '?');
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
}
