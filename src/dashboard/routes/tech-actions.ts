// /tech buttons (admin): reconnect one camera (its ffmpeg restarts, the others keep running) and
// test the broker (a message published and received back on the daemon's own MQTT connection).
// Both are written to the log with who asked: the audit trail of a technician's visit.
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { ErrorReply } from '../schemas.js';

/** A broker that has not answered in this long is reported as not answering. */
export const BROKER_TEST_TIMEOUT_MS = 5000;

const CameraParams = Type.Object({ cameraId: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$' }) });
const admin = { access: 'admin' as const };

export const techActionRoutes: DashboardPlugin = (app, { ctx }, done) => {
  app.post(
    '/api/cameras/:cameraId/reconnect',
    {
      config: admin,
      schema: {
        summary:
          "Restart one camera's video source now, without backoff; the other cameras are untouched (admin)",
        params: CameraParams,
        response: {
          202: Type.Object({ cameraId: Type.String(), requestedBy: Type.String() }),
          404: ErrorReply,
        },
      },
    },
    async (req, reply) => {
      const by = req.session?.username ?? 'unknown';
      const id = req.params.cameraId;
      if (!ctx.deps.cameras.reconnect(id, `reconnect requested on /tech by ${by}`))
        return reply.code(404).send({ error: 'no such camera' });
      req.log.info({ camera: id, by }, 'camera reconnect requested on /tech');
      return reply.code(202).send({ cameraId: id, requestedBy: by });
    },
  );

  app.post(
    '/api/tech/broker-test',
    {
      config: admin,
      schema: {
        summary:
          "Publish a message on the daemon's MQTT connection and wait for it to come back: round-trip time or the error (admin)",
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            latencyMs: Type.Union([Type.Number(), Type.Null()], { description: 'Publish to receipt.' }),
            error: Type.Union([Type.String(), Type.Null()]),
            topic: Type.Union([Type.String(), Type.Null()]),
            testedAt: Type.Number(),
          }),
        },
      },
    },
    async (req) => {
      const by = req.session?.username ?? 'unknown';
      const r = await ctx.deps.tech.testBroker(BROKER_TEST_TIMEOUT_MS);
      const out = r.ok
        ? { ok: true, latencyMs: Math.round(r.latencyMs * 10) / 10, error: null, topic: r.topic }
        : { ok: false, latencyMs: null, error: r.error, topic: null };
      req.log.info({ by, ...out }, 'broker test on /tech');
      return { ...out, testedAt: Date.now() };
    },
  );
  done();
};
