// Open alerts and the one-tap acknowledge.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import { alertDto } from '../present.js';
import { AlertDto, ErrorReply } from '../schemas.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export function alertRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const { alerts } = ctx.deps;

  app.get(
    '/api/alerts',
    {
      schema: {
        summary: 'Open alerts, oldest first',
        response: { 200: Type.Object({ alerts: Type.Array(AlertDto) }) },
      },
    },
    () => ({
      alerts: alerts
        .listOpen()
        .filter((a) => a.status === 'open')
        .sort((a, b) => a.openedAt - b.openedAt)
        .map((a) => alertDto(a, ctx.menu)),
    }),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/alerts/:id',
    { schema: { summary: 'One alert', params: IdParams, response: { 200: AlertDto, 404: ErrorReply } } },
    async (req, reply) => {
      const a = alerts.get(req.params.id);
      return a ? alertDto(a, ctx.menu) : reply.code(404).send({ error: 'no such alert' });
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/alerts/:id/ack',
    {
      schema: {
        summary: 'Acknowledge an alert (staff saw it)',
        params: IdParams,
        response: { 200: AlertDto, 404: ErrorReply },
      },
    },
    async (req, reply) => {
      const a = alerts.acknowledge(req.params.id, req.session?.username ?? 'unknown');
      return a ? alertDto(a, ctx.menu) : reply.code(404).send({ error: 'no such alert' });
    },
  );
}
