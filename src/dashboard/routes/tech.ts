// Technician view data, health, effective config and the JSON Schemas integrators validate against.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { recentWarnings } from '../../log.js';
import { boxVitals } from '../queries/box.js';
import { diskUse, latestRejected, retentionOf } from '../queries/tech.js';
import { CameraStatusDto, ErrorReply, FileReply, HealthReport } from '../schemas.js';

const SCHEMA_NAME = '^[A-Za-z0-9_-]{1,64}$';
const SchemaParams = Type.Object({ name: Type.String({ pattern: SCHEMA_NAME }) });
const Anything = Type.Unknown();

/**
 * Before the first brokerStatus event reaches the dashboard (it starts after the broker stage),
 * the health report's broker component is the truth: /tech then agrees with its health table.
 */
function brokerFromHealth(h: { components: Record<string, { state: string; detail?: string }> }) {
  const c = h.components.broker;
  if (!c) return null;
  const ok = c.state === 'ok';
  return { connected: ok, url: '', error: ok ? null : (c.detail ?? c.state), ts: Date.now() };
}

export const techRoutes: DashboardPlugin = (app, { ctx }, done) => {
  const { tech, files, site } = ctx.deps;
  const { db } = ctx.deps.core;

  const schemaNames = (): string[] => {
    try {
      return readdirSync(files.schemasDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length))
        .filter((n) => new RegExp(SCHEMA_NAME).test(n))
        .sort();
    } catch {
      return [];
    }
  };

  app.get(
    '/api/health',
    {
      config: { access: 'monitor' },
      schema: {
        summary: 'Health of every component; HTTP 503 unless status is ok',
        response: { 200: HealthReport, 503: HealthReport },
      },
    },
    async (_req, reply) => {
      const h = tech.health();
      return reply.code(h.status === 'ok' ? 200 : 503).send(h);
    },
  );

  app.get(
    '/api/tech',
    {
      schema: {
        summary: 'Everything the technician view shows',
        response: {
          200: Type.Object({
            version: Type.String(),
            store: Type.Object({ id: Type.String(), name: Type.String() }),
            cameras: Type.Array(CameraStatusDto),
            broker: Type.Union([
              Type.Object({
                connected: Type.Boolean(),
                url: Type.String(),
                error: Type.Union([Type.String(), Type.Null()]),
                ts: Type.Number(),
              }),
              Type.Null(),
            ]),
            model: Type.Object({
              name: Type.String(),
              path: Type.String(),
              sha256: Type.String(),
              labels: Type.Array(Type.String()),
              family: Type.String(),
              version: Type.Union([Type.String(), Type.Null()]),
              changes: Type.Optional(
                Type.Array(
                  Type.Object({
                    at: Type.String(),
                    action: Type.String(),
                    sha256: Type.Union([Type.String(), Type.Null()]),
                    detail: Type.Optional(Type.String()),
                  }),
                ),
              ),
            }),
            disk: Anything,
            box: Type.Object({
              cpuCount: Type.Integer(),
              load1: Type.Number({ description: '1-minute load average.' }),
              memTotalBytes: Type.Number(),
              memFreeBytes: Type.Number(),
              daemonRssBytes: Type.Number(),
              temperatureC: Type.Union([Type.Number(), Type.Null()]),
              uptimeS: Type.Number(),
            }),
            retention: Anything,
            health: HealthReport,
            warnings: Type.Array(
              Type.Object({
                ts: Type.Number(),
                level: Type.String({ enum: ['warn', 'error', 'fatal'] }),
                msg: Type.String(),
                stage: Type.Union([Type.String(), Type.Null()]),
              }),
              { description: "This process's newest warnings and errors (at most 50), newest first." },
            ),
          }),
        },
      },
    },
    () => ({
      version: site.version,
      store: site.store,
      cameras: ctx.deps.cameras.statuses(),
      broker: ctx.broker() ?? brokerFromHealth(tech.health()),
      model: tech.model(),
      disk: diskUse(ctx.repos.tech, db, files.dataDir),
      box: boxVitals(),
      retention: retentionOf(tech.effectiveConfig()),
      health: tech.health(),
      warnings: recentWarnings(),
    }),
  );

  app.get(
    '/api/rejected',
    {
      schema: {
        summary: 'The latest 100 rejected POS/KDS messages with their reasons',
        response: {
          200: Type.Object({
            rejected: Type.Array(
              Type.Object({
                id: Type.Integer(),
                topic: Type.String(),
                reason: Type.String(),
                payload: Type.String(),
                receivedAt: Type.Number(),
              }),
            ),
          }),
        },
      },
    },
    () => ({ rejected: latestRejected(ctx.repos.tech, 100) }),
  );

  app.get(
    '/api/config',
    {
      config: { access: 'admin' },
      schema: { summary: 'The effective configuration, secrets masked (admin)', response: { 200: Anything } },
    },
    () => tech.effectiveConfig(),
  );

  app.get(
    '/api/config/schema.json',
    {
      config: { access: 'public' },
      schema: { summary: 'JSON Schema of traycheck.yaml', response: { 200: Anything } },
    },
    () => tech.configSchema,
  );

  app.get(
    '/api/schemas',
    {
      config: { access: 'public' },
      schema: {
        summary: 'POS/KDS payload JSON Schemas served at stable URLs',
        response: {
          200: Type.Object({ schemas: Type.Array(Type.Object({ name: Type.String(), url: Type.String() })) }),
        },
      },
    },
    () => ({ schemas: schemaNames().map((name) => ({ name, url: `/api/schemas/${name}.json` })) }),
  );

  app.get(
    '/api/schemas/:name.json',
    {
      config: { access: 'public' },
      schema: {
        summary: 'One payload JSON Schema',
        produces: ['application/schema+json'],
        params: SchemaParams,
        response: { 200: FileReply, 404: ErrorReply },
      },
    },
    async (req, reply) => {
      // Only names listed from the folder are opened: nothing in the URL becomes a path.
      if (!schemaNames().includes(req.params.name)) return reply.code(404).send({ error: 'no such schema' });
      const text = readFileSync(join(files.schemasDir, `${req.params.name}.json`), 'utf8');
      return reply
        .type('application/schema+json; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .send(text);
    },
  );
  done();
};
