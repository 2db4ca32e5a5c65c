// Composition root: builds every stage from its own part of the config and starts them in
// pipeline order; stops them in reverse (STYLE.md: "main starts stages in order").
import { join } from 'node:path';
import { createAlerts, type Alerts } from './alerts/index.js';
import { createCameras, type Cameras, type SimFrameSource } from './camera/index.js';
import type { LoadedConfig } from './config/load.js';
import { configJsonSchema } from './config/json-schema.js';
import { maskConfig } from './config/mask.js';
import { createDashboard } from './dashboard/index.js';
import {
  checkMenuLabels,
  createDetectLoop,
  createDetector,
  ModelError,
  type DetectLoop,
  type Detector,
} from './detect/index.js';
import { createEventBus, type EventBus } from './events.js';
import { createHealthWiring, type HealthWiring } from './health/wiring.js';
import type { Logger } from './log.js';
import { createOrders, type Orders } from './orders/index.js';
import { topics } from './orders/topics.js';
import { projectPath } from './paths.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import { openDatabase, type Db } from './store/db.js';
import { createSnapshotStore, snapshotConfig, type SnapshotStore } from './store/snapshots.js';
import { createVerdictsRepo } from './store/verdicts-repo.js';
import { currentModelFile, modelChanges } from './teach/registry.js';
import { createTeachApi } from './teach/api.js';
import { captureStage, modelsStage } from './teach/stages.js';
import type { Alert, Verdict } from './types.js';
import { version } from './version.js';

/** A start-up failure the operator must fix (bad model, missing menu label): exit 78, no restart. */
export class StartupError extends Error {
  constructor(
    readonly component: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Stage {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export interface DaemonDeps {
  loaded: LoadedConfig;
  log: Logger;
  /** Frame producers for `sim:` cameras (demo, eval, tests). */
  simSources?: Record<string, SimFrameSource>;
  /**
   * Eval: sim sources run faster than real time, so the camera waits until each frame went
   * through detection before producing more (no frame is dropped).
   */
  clockFromFrames?: boolean;
}

export interface Daemon {
  start(): Promise<void>;
  stop(): Promise<void>;
  bus: EventBus;
  db(): Db;
  brokerUrl(): string;
  dashboardUrl(): string;
  setupToken(): string | null;
  /** Rows in order_events (eval waits for what the POS published to be stored). */
  orderEventsStored(): number;
  /** Resolves when the sim source of this camera has ended (eval). */
  sourceEnded(cameraId: string): Promise<void>;
  /** Waits until frames in flight have gone through the whole pipeline. */
  drain(): Promise<void>;
  verdicts(): Array<Verdict & { id: number }>;
  alertsAll(): Alert[];
  pipeline(): Pipeline;
}

export function createDaemon({ loaded, log, simSources, clockFromFrames }: DaemonDeps): Daemon {
  const { config } = loaded;
  const bus = createEventBus(log.child({ stage: 'bus' }));
  const started: Stage[] = [];
  const startedAt = Date.now();
  let db: Db | null = null;
  let snapshots: SnapshotStore | null = null;
  let detector: Detector | null = null;
  let detectLoop: DetectLoop | null = null;
  let orders: Orders | null = null;
  let alerts: Alerts | null = null;
  let pipeline: Pipeline | null = null;
  let cameras: Cameras | null = null;
  let dashboard: ReturnType<typeof createDashboard> | null = null;
  let health: HealthWiring | null = null;
  const sourceEnds = new Map<string, () => void>();
  const sourceEnded = new Map<string, Promise<void>>();
  for (const id of Object.keys(simSources ?? {}))
    sourceEnded.set(id, new Promise<void>((r) => sourceEnds.set(id, r)));
  const need = <T>(x: T | null, what: string): T => {
    if (x === null) throw new Error(`${what} not started`);
    return x;
  };
  const t = topics(config.mqtt.prefix, config.store.id);

  const stages: Stage[] = [
    {
      name: 'store',
      start() {
        try {
          db = openDatabase(join(config.storage.dataDir, 'traycheck.db'));
        } catch (err) {
          throw new StartupError('store', (err as Error).message);
        }
        snapshots = createSnapshotStore({
          dir: join(config.storage.dataDir, 'snapshots'),
          db,
          log: log.child({ stage: 'snapshots' }),
          config: { ...snapshotConfig(config.storage), retentionIntervalMs: undefined },
        });
        return snapshots.start();
      },
      stop() {
        snapshots?.stop();
        db?.close();
        db = null;
      },
    },
    {
      name: 'detector',
      async start() {
        // A promoted model (teach/registry.ts) outlives a restart; the configured one is the base.
        const model = currentModelFile(config.storage.dataDir, config.detector.model);
        if (model !== config.detector.model)
          log.info({ model }, 'running the promoted model from the registry');
        detector = createDetector({
          config: { ...config.detector, model },
          log: log.child({ stage: 'detect' }),
          baseDir: loaded.baseDir,
        });
        try {
          await detector.start();
        } catch (err) {
          if (err instanceof ModelError) throw new StartupError('detector', err.message);
          throw err;
        }
        const info = detector.info();
        const missing = checkMenuLabels(config.menu, info.labels);
        if (missing.length) {
          throw new StartupError(
            'menu',
            `menu uses label(s) the model ${info.path} does not know: ${missing.join(', ')} (model labels: ${info.labels.join(', ')}; map them with detector.aliases or fix the menu)`,
          );
        }
      },
      stop: () => detector?.stop(),
    },
    modelsStage(config, log, () => need(detector, 'detector')),
    {
      name: 'orders',
      start() {
        orders = createOrders({
          config: { mqtt: config.mqtt, menu: config.menu, orders: config.orders, storeId: config.store.id },
          db: need(db, 'store'),
          bus,
          log: log.child({ stage: 'orders' }),
          dataDir: config.storage.dataDir,
        });
        return orders.start();
      },
      stop: () => orders?.stop(),
    },
    {
      name: 'alerts',
      start() {
        const mqtt = need(orders, 'orders').mqtt;
        alerts = createAlerts({
          db: need(db, 'store'),
          bus,
          log,
          publish: (kind, payload) => mqtt.publish(kind === 'verdict' ? t.verdict : t.alert, payload),
          snapshots: snapshots ?? undefined,
          zones: Object.fromEntries(config.cameras.map((c) => [c.id, c.zone])),
        });
        alerts.start();
      },
      stop: () => alerts?.stop(),
    },
    {
      name: 'pipeline',
      start() {
        const book = need(orders, 'orders').book;
        const det = need(detector, 'detector');
        pipeline = createPipeline({
          cameras: config.cameras,
          tray: config.tray,
          verify: config.verify,
          menu: config.menu,
          scoreThreshold: (label) => config.detector.classThresholds[label] ?? config.detector.scoreThreshold,
          bus,
          log,
          db: need(db, 'store'),
          orders: {
            candidates: (now) =>
              dedupeOrders([
                ...book.readyAt(null),
                ...book.openWithin(config.verify.bestMatchWindowMin, now),
              ]),
            get: (id) => book.get(id),
            markVerified: (id, result) => book.markVerified(id, result),
          },
          alerts: need(alerts, 'alerts'),
          modelSha256: () => det.info().sha256,
        });
        pipeline.start();
        detectLoop = createDetectLoop({ detector: det, bus, log: log.child({ stage: 'detect' }) });
        detectLoop.start();
      },
      async stop() {
        await detectLoop?.stop();
        pipeline?.stop();
      },
    },
    {
      name: 'cameras',
      start() {
        const mqtt = need(orders, 'orders').mqtt;
        bus.on('cameraStatus', 'mqtt-out', (s) => {
          mqtt.publish(t.cameraStatus(s.cameraId), s, { retain: true });
          if (s.state === 'offline' && s.lastError?.includes('ended')) sourceEnds.get(s.cameraId)?.();
        });
        cameras = createCameras({
          cameras: config.cameras,
          bus,
          log,
          simSources,
          waitForConsumer: clockFromFrames
            ? (frame) => waitForDetections(bus, frame.cameraId, frame.seq)
            : undefined,
        });
        cameras.start();
      },
      stop: () => cameras?.stop(),
    },
    captureStage(
      config,
      log,
      bus,
      (id) => cameras?.latestFrame(id) ?? null,
      () => need(detector, 'detector'),
    ),
    {
      name: 'dashboard',
      async start() {
        health = createHealthWiring({
          version,
          startedAt,
          dataDir: config.storage.dataDir,
          diskReserveBytes: config.storage.diskReserveBytes,
          db: need(db, 'store'),
          providers: {
            cameras: () => need(cameras, 'cameras').health(),
            broker: () => need(orders, 'orders').health(),
            model: () => need(detector, 'detector').health(),
            alerts: () => need(alerts, 'alerts').health(),
            snapshots: () => need(snapshots, 'snapshots').health(),
          },
          log: log.child({ stage: 'health' }),
          bus,
          storage: config.storage,
          snapshots: snapshots ?? undefined,
          progress: () => pipeline?.processed() ?? 0,
          expire: (now) => pipeline?.expire(now),
        });
        await health.start();
        if (!config.dashboard.enabled) return;
        const det = need(detector, 'detector');
        const cams = need(cameras, 'cameras');
        dashboard = createDashboard({
          config: config.dashboard,
          store: config.store,
          db: need(db, 'store'),
          bus,
          log: log.child({ stage: 'dashboard' }),
          dataDir: config.storage.dataDir,
          alerts: need(alerts, 'alerts'),
          getHealth: () => need(health, 'health').report(),
          cameras: {
            statuses: () => cams.statuses(),
            latestFrame: (id) => cams.latestFrame(id),
            zones: () =>
              Object.fromEntries(
                config.cameras.map((c) => [c.id, c.zone.map(([x, y]) => [x, y] as [number, number])]),
              ),
          },
          liveTrays: (id) => pipeline?.liveTrays(id) ?? [],
          model: () => {
            const info = det.info();
            return {
              name: info.path.split('/').pop() ?? info.path,
              path: info.path,
              sha256: info.sha256,
              labels: info.labels,
              family: info.family,
              version: info.version ?? null,
              changes: modelChanges(config.storage.dataDir),
            };
          },
          effectiveConfig: () => maskConfig(config),
          configSchema: configJsonSchema(),
          schemasDir: projectPath('schemas'),
          snapshotPath: (id) => snapshots?.path(id) ?? null,
          menu: config.menu,
          version,
          teach: createTeachApi({ loaded, model: () => det.info(), log: log.child({ stage: 'teach' }) }),
        });
        const { url } = await dashboard.start();
        const token = dashboard.setupToken();
        log.info({ url }, `dashboard at ${url}`);
        if (token)
          log.warn(`no admin account yet: set the password at ${url}/setup?token=${token} (one-time link)`);
      },
      async stop() {
        await dashboard?.stop();
        await health?.stop();
      },
    },
  ];

  return {
    bus,
    db: () => need(db, 'store'),
    brokerUrl: () => need(orders, 'orders').brokerUrl(),
    dashboardUrl: () => need(dashboard, 'dashboard').url(),
    setupToken: () => dashboard?.setupToken() ?? null,
    orderEventsStored: () =>
      db ? (db.prepare('SELECT COUNT(*) AS n FROM order_events').get() as { n: number }).n : 0,
    sourceEnded: (id) => sourceEnded.get(id) ?? new Promise<void>(() => undefined),
    async drain() {
      const cams = need(cameras, 'cameras');
      await cams.stop();
      await detectLoop?.stop();
    },
    verdicts: () =>
      createVerdictsRepo(need(db, 'store')).list({ limit: 100_000 }) as Array<Verdict & { id: number }>,
    alertsAll: () =>
      (need(db, 'store').prepare('SELECT id FROM alerts ORDER BY id').all() as { id: number }[])
        .map((r) => need(alerts, 'alerts').get(r.id))
        .filter((a): a is Alert => a !== null),
    pipeline: () => need(pipeline, 'pipeline'),
    async start() {
      const t0 = Date.now();
      for (const stage of stages) {
        const s0 = Date.now();
        // Counted as started before it starts: stop() also stops a stage whose start failed half
        // way, so what it did start (a worker thread, a socket) is released.
        started.push(stage);
        await stage.start();
        log.debug({ stage: stage.name, ms: Date.now() - s0 }, 'stage started');
      }
      health?.ready();
      log.info(
        { ms: Date.now() - t0, store: config.store.id, cameras: config.cameras.length },
        'traycheck ready',
      );
    },
    async stop() {
      health?.stopping();
      while (started.length) {
        const stage = started.pop() as Stage;
        try {
          await stage.stop();
        } catch (err) {
          log.error({ err, stage: stage.name }, 'stage failed to stop cleanly');
        }
      }
    },
  };
}

function dedupeOrders<T extends { orderId: string }>(orders: T[]): T[] {
  const seen = new Set<string>();
  return orders.filter((o) => (seen.has(o.orderId) ? false : (seen.add(o.orderId), true)));
}

/** Resolves once detections for this frame (or a later one) have been through the pipeline. */
function waitForDetections(bus: EventBus, cameraId: string, seq: number): Promise<void> {
  return new Promise((resolve) => {
    const off = bus.on('detections', 'eval-pacing', (fd) => {
      if (fd.cameraId === cameraId && fd.seq >= seq) {
        off();
        resolve();
      }
    });
  });
}
