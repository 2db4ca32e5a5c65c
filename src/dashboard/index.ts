// The dashboard stage: fastify API + SSE + static UI + live view + metrics.
// The factory does no I/O; start() opens the setup token, binds the port and subscribes to the bus.
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { EventMap } from '../events.js';
import type { Alert } from '../types.js';
import { createAuth } from './auth/service.js';
import { createStreamRegistry, type DashboardContext } from './context.js';
import { createLiveEncoder } from './live/encoder.js';
import { createMetrics } from './metrics.js';
import { alertDto, orderDto, verdictDto } from './present.js';
import { createAlertOrders } from './queries/alert-order.js';
import { createStatsQueries } from './queries/stats.js';
import { createHistoryRepo } from '../store/history-repo.js';
import { createQueueRepo } from '../store/queue-repo.js';
import { createStatsRepo } from '../store/stats-repo.js';
import { createTechRepo } from '../store/tech-repo.js';
import { securityHeaders } from './security.js';
import { buildApp } from './server.js';
import { createSseHub } from './sse.js';
import type { Dashboard, DashboardDeps } from './types.js';

export type { Dashboard, DashboardDeps } from './types.js';

export const isLoopback = (host: string): boolean =>
  /^127\./.test(host) || host === '::1' || host === 'localhost';

/** The address to print: the bind address, or for a wildcard bind the box's first LAN IPv4. */
function publicHost(bind: string): string {
  if (bind !== '0.0.0.0' && bind !== '::') return bind.includes(':') ? `[${bind}]` : bind;
  for (const list of Object.values(networkInterfaces())) {
    const lan = list?.find((i) => i.family === 'IPv4' && !i.internal);
    if (lan) return lan.address;
  }
  return '127.0.0.1';
}

export function createDashboard(deps: DashboardDeps): Dashboard & { app(): FastifyInstance } {
  const { config } = deps;
  const { db, bus, log } = deps.core;
  const tls = Boolean(config.tlsCert && config.tlsKey);
  const streams = createStreamRegistry();
  let app: FastifyInstance | null = null;
  let ctx: DashboardContext | null = null;
  let url = '';
  let broker: EventMap['brokerStatus'] | null = null;
  const off: Array<() => void> = [];

  return {
    async start() {
      const auth = createAuth({
        db,
        sessionTtlMs: config.sessionTtlHours * 3_600_000,
        displaySessionTtlMs: config.displaySessionDays * 86_400_000,
        loginMaxFailures: config.loginMaxFailures,
        loginWindowMs: config.loginWindowMin * 60_000,
        onSessionsEnded: (which) => {
          const n = streams.end((o) =>
            'sessionHash' in which
              ? o.sessionHash === which.sessionHash
              : o.username === which.username && o.sessionHash !== which.exceptSessionHash,
          );
          if (n) log.info({ streams: n }, 'closed the streams of ended sessions');
        },
      });
      // A session that expires while its page is open: its streams close too (the page then
      // shows that it is not connected instead of carrying on as if it were).
      const expiry = setInterval(() => streams.end((o) => !auth.sessionAlive(o.sessionHash)), 10_000);
      expiry.unref();
      off.push(() => clearInterval(expiry));
      const menu = deps.site.menu;
      const repos = { history: createHistoryRepo(db), queue: createQueueRepo(db), tech: createTechRepo(db) };
      const alertOrders = createAlertOrders(repos.queue, menu, deps.site.modifiers);
      const presentAlert = (a: Alert) => ({
        ...alertDto(a, menu),
        order: alertOrders.checklist(a.orderId, a.verdict.missing, a.verdict.extra),
      });
      const sse = createSseHub({
        bus,
        log,
        heartbeatMs: config.sseHeartbeatMs,
        maxBufferedBytes: config.sseMaxBufferedBytes,
        present: {
          alert: presentAlert,
          verdict: (v) => verdictDto(v, menu),
          camera: (c) => c,
          order: (o) => orderDto(o, menu, deps.site.modifiers),
        },
      });
      const live = createLiveEncoder({
        bus,
        log,
        cameras: deps.cameras,
        liveTrays: deps.cameras.liveTrays,
        fps: config.liveFps,
        quality: config.liveJpegQuality,
      });
      const metrics = createMetrics({
        bus,
        cameras: () => deps.cameras.statuses(),
        alertsOpen: () => deps.alerts.listOpen().filter((a) => a.status === 'open').length,
        sseClients: () => sse.clientCount(),
        liveViewers: () => live.viewers(),
        liveEncodes: () => live.encodes(),
        info: () => {
          const m = deps.tech.model();
          return {
            store: deps.site.store.id,
            storeName: deps.site.store.name,
            version: deps.site.version,
            model: m.name,
            modelVersion: m.version ?? '',
            modelSha256: m.sha256,
          };
        },
      });
      ctx = {
        deps,
        menu,
        presentAlert,
        alertOrders,
        repos,
        auth,
        sse,
        live,
        metrics,
        stats: createStatsQueries(createStatsRepo(db), menu),
        tls,
        headers: securityHeaders(tls),
        broker: () => broker,
        streams,
      };
      const token = auth.initSetup();
      if (token)
        log.warn(
          'no admin account yet: open the setup link printed on the console to set the admin password',
        );
      off.push(bus.on('brokerStatus', 'dashboard', (b) => void (broker = b)));
      sse.start();
      metrics.start();
      const https = tls
        ? { cert: readFileSync(config.tlsCert as string), key: readFileSync(config.tlsKey as string) }
        : null;
      app = await buildApp(ctx, { https, loopbackOnly: isLoopback(config.bind) });
      await app.listen({ host: config.bind, port: config.port });
      const addr = app.server.address();
      const port = addr && typeof addr === 'object' ? addr.port : config.port;
      url = `${tls ? 'https' : 'http'}://${publicHost(config.bind)}:${port}`;
      log.info({ url, tls }, 'dashboard listening');
      return { url };
    },
    async stop() {
      for (const u of off.splice(0)) u();
      ctx?.sse.stop();
      ctx?.metrics.stop();
      ctx?.live.stop();
      streams.endAll();
      await app?.close();
      app = null;
    },
    url: () => url,
    setupToken: () => ctx?.auth.setupToken() ?? null,
    app() {
      if (!app) throw new Error('dashboard not started');
      return app;
    },
  };
}
