// /history: the verdict search (paged and as CSV), one verdict in detail as evidence, and what
// the filters can choose from.
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { labelName } from '../present.js';
import { verdictDetail, verdictsCsv } from '../queries/verdict-detail.js';
import { searchVerdicts } from '../queries/verdicts.js';
import { ErrorReply, VerdictQuery, VerdictRow } from '../schemas.js';

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
  detections: Type.Union([
    Type.Array(
      Type.Object({
        label: Type.String(),
        name: Type.String({ description: 'Menu name of the label.' }),
        score: Type.Number({ description: 'Detector confidence, 0..1.' }),
        uncertain: Type.Boolean({
          description: 'Two labels competed for this object, or its label counted as uncertain.',
        }),
        box: Type.Array(Type.Number(), { description: '[x1, y1, x2, y2] in frame pixels.' }),
      }),
      { description: 'What the detector saw on the tray when it settled: items by score, then the tray.' },
    ),
    Type.Null(),
  ]),
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
      dismissedAt: NullableNumber,
      dismissedBy: Nullable(Type.String()),
    }),
  ),
});

export const historyRoutes: DashboardPlugin = (app, { ctx }, done) => {
  const { history } = ctx.repos;

  app.get(
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
    (req) => searchVerdicts(history, ctx.menu, req.query),
  );

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
        ...new Set([...ctx.deps.cameras.statuses().map((c) => c.cameraId), ...history.camerasSeen()]),
      ].sort(),
      items: ctx.deps.tech
        .model()
        .labels.filter((l) => l !== 'tray')
        .map((label) => ({ label, name: labelName(label, ctx.menu) })),
    }),
  );

  app.get(
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
        .header(
          'content-disposition',
          `attachment; filename="traycheck-verdicts-${ctx.deps.site.store.id}.csv"`,
        )
        .send(verdictsCsv(history, ctx.menu, req.query)),
  );

  app.get(
    '/api/verdicts/:id',
    {
      schema: {
        summary:
          'One verdict as evidence: expected vs seen, detections with scores, link method, alert and who acknowledged it, model',
        params: IdParams,
        response: { 200: VerdictDetail, 404: ErrorReply },
      },
    },
    async (req, reply) =>
      verdictDetail(history, ctx.menu, ctx.alertOrders, req.params.id) ??
      reply.code(404).send({ error: 'no such verdict' }),
  );
  done();
};
