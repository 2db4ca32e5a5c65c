// What every route plugin receives (its one option): the deps plus the dashboard's own parts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyPluginCallbackTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { EventMap } from '../events.js';
import type { Auth } from './auth/service.js';
import type { LiveEncoder } from './live/encoder.js';
import type { Metrics } from './metrics.js';
import type { AlertDto as AlertView } from './present.js';
import type { Menu } from './present.js';
import type { Alert } from '../types.js';
import type { AlertOrders } from './queries/alert-order.js';
import type { StatsQueries } from './queries/stats.js';
import type { SseHub } from './sse.js';
import type { HistoryRepo } from '../store/history-repo.js';
import type { QueueRepo } from '../store/queue-repo.js';
import type { TechRepo } from '../store/tech-repo.js';
import type { DashboardDeps } from './types.js';

export interface DashboardContext {
  deps: DashboardDeps;
  menu: Menu;
  /** An alert as pages see it: plain words plus the order as a checklist. */
  presentAlert(a: Alert): AlertView;
  /** The order behind an alert or verdict, as a checklist. */
  alertOrders: AlertOrders;
  /** The dashboard's reads of the database (src/store/). */
  repos: { history: HistoryRepo; queue: QueueRepo; tech: TechRepo };
  auth: Auth;
  sse: SseHub;
  live: LiveEncoder;
  metrics: Metrics;
  stats: StatsQueries;
  tls: boolean;
  /** Security headers, for replies written by hand (SSE, MJPEG). */
  headers: Record<string, string>;
  broker: () => EventMap['brokerStatus'] | null;
  /** Open streaming responses (events, live view), ended on stop() or when their session ends. */
  streams: StreamRegistry;
}

/** The dashboard's fastify instance: request and reply types come from the TypeBox route schemas. */
export type DashboardApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A route plugin: `app.register(plugin, { ctx })`, request types inferred from its TypeBox schemas. */
export type DashboardPlugin = FastifyPluginCallbackTypebox<{ ctx: DashboardContext }>;

/** Who opened a stream: its user and the sha256 of the session cookie it was opened with. */
export interface StreamOwner {
  username: string;
  sessionHash: string;
}

export interface StreamRegistry {
  add(res: import('node:http').ServerResponse, owner: StreamOwner): void;
  /** Closes every stream whose owner matches at once; returns how many. */
  end(match: (owner: StreamOwner) => boolean): number;
  endAll(): void;
}

/** The registry: a stream leaves it when its response closes, however that happens. */
export function createStreamRegistry(): StreamRegistry {
  const open = new Map<import('node:http').ServerResponse, StreamOwner>();
  return {
    add(res, owner) {
      open.set(res, owner);
      res.on('close', () => open.delete(res));
    },
    end(match) {
      let n = 0;
      for (const [res, owner] of [...open]) {
        if (!match(owner)) continue;
        open.delete(res);
        res.destroy();
        n++;
      }
      return n;
    },
    endAll() {
      for (const res of [...open.keys()]) res.destroy();
      open.clear();
    },
  };
}
