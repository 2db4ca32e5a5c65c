// Builds the fastify app: security hooks, every route module, the generated OpenAPI document.
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import type { DashboardContext } from './context.js';
import { collectRoutes, openApiDocument } from './openapi.js';
import { alertRoutes } from './routes/alerts.js';
import { authRoutes } from './routes/auth.js';
import { displayRoutes } from './routes/displays.js';
import { falseAlarmRoutes } from './routes/false-alarm.js';
import { historyRoutes } from './routes/history.js';
import { liveRoutes } from './routes/live.js';
import { notFound } from './routes/not-found.js';
import { orderRoutes } from './routes/orders.js';
import { pageRoutes } from './routes/pages.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { streamRoutes } from './routes/stream.js';
import { teachFrameRoutes } from './routes/teach-frames.js';
import { techRoutes } from './routes/tech.js';
import { userChangeRoutes, userRoutes } from './routes/users.js';
import { teachRoutes } from './teach-routes.js';
import { installSecurity } from './security.js';

export interface AppOptions {
  https: { cert: Buffer; key: Buffer } | null;
  loopbackOnly: boolean;
}

export async function buildApp(ctx: DashboardContext, opts: AppOptions): Promise<FastifyInstance> {
  const { config, log } = ctx.deps;
  const app = Fastify({
    loggerInstance: log,
    // Per-request info lines would flood the journal (the live view polls every second).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    // Only listed proxies may set the client address (X-Forwarded-For); nobody by default.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    return503OnClosing: true,
    ...(opts.https ? { https: opts.https } : {}),
  }) as unknown as FastifyInstance;

  // JSON only: a cross-site <form> can post text/plain without a preflight, so that parser goes.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err, url: req.url }, 'dashboard request failed');
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : err.message });
  });
  notFound(app);

  await app.register(fastifyCookie);
  installSecurity(app, {
    auth: ctx.auth,
    tls: ctx.tls,
    metricsToken: config.metricsToken,
    loopbackOnly: opts.loopbackOnly,
  });

  const routes = collectRoutes(app);
  authRoutes(app, ctx);
  alertRoutes(app, ctx);
  falseAlarmRoutes(app, ctx);
  orderRoutes(app, ctx);
  historyRoutes(app, ctx);
  techRoutes(app, ctx);
  userRoutes(app, ctx);
  userChangeRoutes(app, ctx);
  displayRoutes(app, ctx);
  snapshotRoutes(app, ctx);
  liveRoutes(app, ctx);
  streamRoutes(app, ctx);
  teachRoutes(app, ctx);
  teachFrameRoutes(app, ctx);
  await pageRoutes(app);

  let doc: unknown = null;
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => {
    doc ??= openApiDocument(routes, { title: 'traycheck dashboard API', version: ctx.deps.version });
    return doc;
  });

  await app.ready();
  return app;
}
