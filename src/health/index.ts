// Aggregates the named health providers of every stage into the report served at /api/health
// (200 when ok, 503 when degraded: the dashboard's route) and printed by `traycheck status`.
import type { ComponentHealth, HealthProvider, HealthReport } from './types.js';

export type { ComponentHealth, ComponentState, HealthProvider, HealthReport } from './types.js';

export interface HealthDeps {
  version: string;
  /** Epoch ms. */
  startedAt: number;
  providers?: Record<string, HealthProvider>;
  now?: () => number;
}

export interface Health {
  /** Calls every provider; one that throws is reported `down` with its error, never thrown. */
  report(): HealthReport;
  /** Adds or replaces a component. */
  register(name: string, provider: HealthProvider): void;
  unregister(name: string): void;
}

export function createHealth(deps: HealthDeps): Health {
  const now = deps.now ?? Date.now;
  const providers = new Map<string, HealthProvider>(Object.entries(deps.providers ?? {}));

  const check = (provider: HealthProvider): ComponentHealth => {
    try {
      const h = provider();
      if (h.state !== 'ok' && h.state !== 'degraded' && h.state !== 'down') {
        return { state: 'down', detail: `health check returned an invalid state "${String(h.state)}"` };
      }
      return h;
    } catch (err) {
      return {
        state: 'down',
        detail: `health check failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  };

  return {
    report() {
      const components: Record<string, ComponentHealth> = {};
      for (const [name, provider] of [...providers].sort(([a], [b]) => a.localeCompare(b))) {
        components[name] = check(provider);
      }
      const t = now();
      return {
        status: Object.values(components).every((c) => c.state === 'ok') ? 'ok' : 'degraded',
        version: deps.version,
        startedAt: deps.startedAt,
        uptimeS: Math.max(0, Math.round((t - deps.startedAt) / 1000)),
        components,
      };
    },
    register(name, provider) {
      providers.set(name, provider);
    },
    unregister(name) {
      providers.delete(name);
    },
  };
}
