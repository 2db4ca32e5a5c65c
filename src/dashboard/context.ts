// What every route module receives: the deps plus the dashboard's own parts.
import type { EventMap } from '../events.js';
import type { Auth } from './auth/service.js';
import type { LiveEncoder } from './live/encoder.js';
import type { Metrics } from './metrics.js';
import type { Menu } from './present.js';
import type { createStatsQueries } from './queries/stats.js';
import type { SseHub } from './sse.js';
import type { DashboardDeps } from './types.js';

export interface DashboardContext {
  deps: DashboardDeps;
  menu: Menu;
  auth: Auth;
  sse: SseHub;
  live: LiveEncoder;
  metrics: Metrics;
  stats: ReturnType<typeof createStatsQueries>;
  tls: boolean;
  /** Security headers, for replies written by hand (SSE, MJPEG). */
  headers: Record<string, string>;
  broker: () => EventMap['brokerStatus'] | null;
  /** Open streaming responses, ended on stop() so close() never waits on them. */
  streams: Set<import('node:http').ServerResponse>;
}
