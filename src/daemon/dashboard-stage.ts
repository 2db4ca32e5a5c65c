// The dashboard stage: fastify (API, SSE, UI, live view, metrics) over the other stages' parts.
import type { Alerts } from '../alerts/index.js';
import type { Cameras } from '../camera/index.js';
import { configJsonSchema } from '../config/json-schema.js';
import { maskConfig } from '../config/mask.js';
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Dashboard } from '../dashboard/types.js';
import type { Detector } from '../detect/index.js';
import type { EventBus } from '../events.js';
import type { HealthWiring } from '../health/wiring.js';
import type { Logger } from '../log.js';
import type { Mqtt } from '../mqtt/client.js';
import { projectPath } from '../paths.js';
import type { Pipeline } from '../pipeline.js';
import type { Db } from '../store/db.js';
import type { SnapshotStore } from '../store/snapshots.js';
import { createTeachApi } from '../teach/api.js';
import { createFrameStore } from '../teach/frames.js';
import { newLabels } from '../teach/labels.js';
import { createVerdictsRepo } from '../store/verdicts-repo.js';
import { modelChanges } from '../teach/registry.js';
import { need, type Stage } from './stage.js';

export interface DashboardStage extends Stage {
  dashboard: () => Dashboard;
  /** The one-time setup link's token while no admin exists (null when the dashboard is off). */
  setupToken: () => string | null;
}

export function createDashboardStage(deps: {
  /** The whole config: the dashboard shows it (secrets masked), the cameras' zones and the menu. */
  config: Config;
  version: string;
  db: () => Db;
  alerts: () => Alerts;
  /** The daemon's MQTT connection: /tech tests the broker on it. */
  mqtt: () => Mqtt;
  health: () => HealthWiring | null;
  cameras: () => Cameras;
  detector: () => Detector;
  /** The loaded config (its file: training runs started from /teach read it). */
  loaded: LoadedConfig;
  pipeline: () => Pipeline | null;
  snapshots: () => SnapshotStore | null;
  bus: EventBus;
  log: Logger;
}): DashboardStage {
  const { config } = deps;
  let dashboard: Dashboard | null = null;
  return {
    name: 'dashboard',
    async start() {
      if (!config.dashboard.enabled) return;
      const detector = deps.detector();
      const cameras = deps.cameras();
      const verdicts = createVerdictsRepo(deps.db());
      // Loaded here, not at the top: fastify, its plugins and schema compilers are a third of the
      // daemon's start-up CPU, which a store running without a dashboard does not pay.
      const { createDashboard } = await import('../dashboard/index.js');
      dashboard = createDashboard({
        config: config.dashboard,
        site: { store: config.store, version: deps.version, menu: config.menu, modifiers: config.modifiers },
        core: { db: deps.db(), bus: deps.bus, log: deps.log },
        files: {
          dataDir: config.storage.dataDir,
          schemasDir: projectPath('schemas'),
          snapshotPath: (id) => deps.snapshots()?.path(id) ?? null,
        },
        alerts: deps.alerts(),
        cameras: {
          statuses: () => cameras.statuses(),
          latestFrame: (id) => cameras.latestFrame(id),
          zones: () =>
            Object.fromEntries(
              config.cameras.map((c) => [c.id, c.zone.map(([x, y]) => [x, y] as [number, number])]),
            ),
          liveTrays: (id) => deps.pipeline()?.liveTrays(id) ?? [],
          reconnect: (id, reason) => cameras.reconnect(id, reason),
        },
        tech: {
          health: () => need(deps.health(), 'health').report(),
          model: () => {
            const info = detector.info();
            return {
              name: info.path.split('/').pop() ?? info.path,
              path: info.path,
              sha256: info.sha256,
              labels: info.labels,
              family: info.family,
              version: info.version ?? null,
              changes: modelChanges(deps.config.storage.dataDir),
            };
          },
          effectiveConfig: () => maskConfig(config),
          configSchema: configJsonSchema(),
          testBroker: (timeoutMs) => deps.mqtt().probe(timeoutMs),
        },
        teach: createTeachApi({ loaded: deps.loaded, model: () => detector.info(), log: deps.log }),
        teachFrames: createFrameStore({
          dataDir: config.storage.dataDir,
          teach: config.teach,
          labels: () => [...new Set([...detector.info().labels, ...newLabels(config.storage.dataDir)])],
          orderItems: (trayId) => orderItemsOf(verdicts, trayId),
        }),
      });
      const { url } = await dashboard.start();
      const token = dashboard.setupToken();
      deps.log.info({ url }, `dashboard at ${url}`);
      if (token)
        deps.log.warn(
          `no admin account yet: set the password at ${url}/setup?token=${token} (one-time link)`,
        );
    },
    async stop() {
      await dashboard?.stop();
    },
    dashboard: () => need(dashboard, 'dashboard'),
    setupToken: () => dashboard?.setupToken() ?? null,
  };
}

/** The detector labels the order of a tray's latest linked verdict asked for. */
function orderItemsOf(verdicts: ReturnType<typeof createVerdictsRepo>, trayId: string): string[] {
  const linked = verdicts.list({ trayId }).filter((v) => v.orderId !== null);
  const expected = linked[linked.length - 1]?.expected ?? {};
  return Object.keys(expected).filter((label) => (expected[label] ?? 0) > 0);
}
