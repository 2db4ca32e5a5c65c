// Evidence behind /history: one verdict in detail, the search as CSV, and what the
// filters can choose from.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import { labelName } from '../present.js';
import { verdictDetail, verdictsCsv } from '../queries/verdict-detail.js';
import { ErrorReply, VerdictQuery } from '../schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const CsvQuery = Type.Omit(VerdictQuery, ['page', 'pageSize']);

const VerdictDetail = Type.Object({
  id: Type.Integer(),
  ts: Type.Number(),
  settledTs: NullableNumber,
  trayId: Type.String(),
  cameraId: Type.String(),
  orderId: Nullable(Type.String()),
  orderVersion: NullableNumber,
  link: Type.String({ description: 'How the tray was linked to its order: ready, best-match, fifo, none.' }),
  result: Type.String(),
  counts: Type.Array(
    Type.Object({
      label: Type.String(),
      name: Type.String(),
      expected: Type.Integer(),
      seen: Type.Integer(),
    }),
  ),
  uncertain: Type.Array(Type.String()),
  unverifiable: Type.Array(Type.String()),
  order: Type.Union([
    Type.Object({
      lines: Type.Array(
        Type.Object({ text: Type.String(), state: Type.String(), missing: Type.Array(Type.String()) }),
      ),
      extras: Type.Array(Type.String()),
    }),
    Type.Null(),
  ]),
  modelSha256: Nullable(Type.String()),
  snapshotId: Nullable(Type.String()),
  alerts: Type.Array(
    Type.Object({
      id: Type.Integer(),
      status: Type.String(),
      resolution: Nullable(Type.String()),
      openedAt: Type.Number(),
      acknowledgedAt: NullableNumber,
      acknowledgedBy: Nullable(Type.String()),
      resolvedAt: NullableNumber,
      latencyMs: NullableNumber,
    }),
  ),
});

export function historyRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const { db } = ctx.deps;

  app.get(
    '/api/verdicts/filters',
    {
      schema: {
        summary: 'What /history can filter by: cameras seen and items (detector labels with menu names)',
        response: {
          200: Type.Object({
            cameras: Type.Array(Type.String()),
            items: Type.Array(Type.Object({ label: Type.String(), name: Type.String() })),
          }),
        },
      },
    },
    () => ({
      cameras: [
        ...new Set([
          ...ctx.deps.cameras.statuses().map((c) => c.cameraId),
          ...db
            .prepare<[], { camera_id: string }>('SELECT DISTINCT camera_id FROM verdicts LIMIT 50')
            .all()
            .map((r) => r.camera_id),
        ]),
      ].sort(),
      items: ctx.deps
        .model()
        .labels.filter((l) => l !== 'tray')
        .map((label) => ({ label, name: labelName(label, ctx.menu) })),
    }),
  );

  app.get<{ Querystring: Static<typeof CsvQuery> }>(
    '/api/verdicts.csv',
    {
      schema: {
        summary:
          'The verdict search as CSV (newest first, at most 10,000 rows; same filters as /api/verdicts)',
        produces: ['text/csv'],
        querystring: CsvQuery,
      },
    },
    (req, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="traycheck-verdicts-${ctx.deps.store.id}.csv"`)
        .send(verdictsCsv(db, ctx.menu, req.query)),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/verdicts/:id',
    {
      schema: {
        summary:
          'One verdict as evidence: expected vs seen, link method, alert and who acknowledged it, model',
        params: IdParams,
        response: { 200: VerdictDetail, 404: ErrorReply },
      },
    },
    async (req, reply) =>
      verdictDetail(db, ctx.menu, ctx.alertOrders, req.params.id) ??
      reply.code(404).send({ error: 'no such verdict' }),
  );
}
