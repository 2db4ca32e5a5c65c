// The chain's monitoring files against what traycheck really exposes: every series the Grafana
// dashboard queries is in /metrics' output with the labels it groups by, and the Prometheus
// examples scrape /metrics with the token and federate only traycheck's series.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/dashboard/metrics.js';
import { createEventBus } from '../../src/events.js';
import { silentLogger } from '../../src/log.js';
import { ROOT } from '../helpers/daemon.js';

interface Panel {
  title: string;
  targets: { expr: string }[];
}

const dashboard = JSON.parse(
  readFileSync(join(ROOT, 'config', 'grafana', 'traycheck-chain.json'), 'utf8'),
) as { panels: Panel[]; templating: { list: { query: { query: string } }[] } };

/** Series name → label names, from a real /metrics rendering. */
function exposed(): Map<string, Set<string>> {
  const metrics = createMetrics({
    bus: createEventBus(silentLogger()),
    cameras: () => [{ cameraId: 'expo', state: 'online', fps: 5, framesDropped: 0 }],
    alertsOpen: () => 0,
    sseClients: () => 0,
    liveViewers: () => 0,
    liveEncodes: () => 0,
    info: () => ({
      store: 'store-042',
      storeName: 'Main St',
      version: '0.1.0',
      model: 'traycheck-det',
      modelVersion: '2.0',
      modelSha256: 'ab'.repeat(32),
    }),
  });
  metrics.start();
  const out = new Map<string, Set<string>>();
  for (const line of metrics.render().split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? /.exec(line);
    if (!m?.[1]) continue;
    const labels = out.get(m[1]) ?? new Set<string>();
    for (const pair of (m[2] ?? '').split(',')) if (pair) labels.add(pair.split('=')[0] as string);
    out.set(m[1], labels);
  }
  metrics.stop();
  return out;
}

describe('chain monitoring examples', () => {
  it('every series the Grafana dashboard queries exists, with the labels it groups by', () => {
    const series = exposed();
    const exprs = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ title: p.title, expr: t.expr }))),
      ...dashboard.templating.list.map((v) => ({ title: 'variable', expr: v.query.query })),
    ];
    expect(exprs.length).toBeGreaterThan(8);
    for (const { title, expr } of exprs) {
      const names = expr.match(/traycheck_[a-z_]+/g) ?? [];
      expect(names.length, `${title}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) {
        const labels = series.get(name);
        expect(labels, `${title}: ${name} is not in /metrics`).toBeDefined();
        // `store` comes with every series from the store Prometheus' external_labels.
        const have = new Set([...(labels ?? []), 'store']);
        for (const m of expr.matchAll(/by \(([^)]*)\)/g))
          for (const l of (m[1] ?? '').split(',').map((s) => s.trim()))
            expect(have.has(l), `${title}: ${name} by ${l}`).toBe(true);
      }
    }
  });

  it('the store Prometheus scrapes /metrics with the token and labels its series with the store', () => {
    const store = parse(readFileSync(join(ROOT, 'config', 'prometheus', 'store.yml'), 'utf8')) as {
      global: { external_labels: Record<string, string> };
      scrape_configs: { metrics_path: string; authorization: { credentials_file: string } }[];
    };
    expect(store.global.external_labels.store).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect(store.scrape_configs[0]).toMatchObject({ metrics_path: '/metrics' });
    expect(store.scrape_configs[0]?.authorization.credentials_file).toBeTruthy();
  });

  it('head office federates only traycheck series and keeps the stores labels', () => {
    const hq = parse(readFileSync(join(ROOT, 'config', 'prometheus', 'hq-federation.yml'), 'utf8')) as {
      scrape_configs: { honor_labels: boolean; metrics_path: string; params: Record<string, string[]> }[];
    };
    const job = hq.scrape_configs[0];
    expect(job).toMatchObject({ honor_labels: true, metrics_path: '/federate' });
    expect(job?.params['match[]']).toEqual(['{__name__=~"traycheck_.*"}']);
  });
});
