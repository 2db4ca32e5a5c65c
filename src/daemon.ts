// Composition root: a list of stages, each made by its own factory (src/daemon/) from its own part
// of the config and getters for what earlier stages made; started in pipeline order, stopped in
// reverse. This is the one place the `stage` log field is bound (docs/CONTRIBUTING.md).
import type { SimFrameSource } from './camera/index.js';
import { newLabels } from './teach/labels.js';
import { captureStage, modelsStage } from './teach/stages.js';
import type { LoadedConfig } from './config/load.js';
import { createAlertsStage } from './daemon/alerts-stage.js';
import { differenceLines } from './dashboard/present.js';
import { createCameraStage } from './daemon/camera-stage.js';
import { createDashboardStage } from './daemon/dashboard-stage.js';
import { createDetectStage } from './daemon/detect-stage.js';
import { createHealthStage } from './daemon/health-stage.js';
import { createOrdersStage } from './daemon/orders-stage.js';
import { createPipelineStage } from './daemon/pipeline-stage.js';
import type { Stage } from './daemon/stage.js';
import { createStoreStage } from './daemon/store-stage.js';
import { createEventBus, type EventBus } from './events.js';
import { menuWithNewLabels } from './menu/index.js';
import type { Logger } from './log.js';
import { createAlertsRepo, type AlertsRepo } from './store/alerts-repo.js';
import type { Db } from './store/db.js';
import { createOrdersRepo, type OrdersRepo } from './store/orders-repo.js';
import { createVerdictsRepo } from './store/verdicts-repo.js';
import type { Alert, FrameDetections, Verdict } from './types.js';
import { version } from './version.js';

export { StartupError, type Stage } from './daemon/stage.js';

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
  /**
   * Eval: awaited before the tray stage handles a frame's detections, so the simulated POS
   * delivers the events due by that frame's scenario time exactly then (frames stay in order).
   */
  beforeTray?: (fd: FrameDetections) => Promise<void>;
}

/** What `traycheck eval` and the latency bench read of a daemon they run; the product never does. */
export interface EvalProbe {
  /** Rows in order_events (eval waits for what the POS published to be stored). */
  orderEventsStored(): number;
  /** Resolves when the sim source of this camera has ended. */
  sourceEnded(cameraId: string): Promise<void>;
  /** Stops the cameras and waits until frames in flight have gone through the whole pipeline. */
  drain(): Promise<void>;
  /** Frames the tray stage has handled (eval's event-skew test). */
  framesProcessed(): number;
  /** Every stored verdict, oldest first. */
  verdicts(): Array<Verdict & { id: number }>;
  /** Every alert, oldest first. */
  alerts(): Alert[];
}

export interface Daemon {
  start(): Promise<void>;
  stop(): Promise<void>;
  bus: EventBus;
  brokerUrl(): string;
  dashboardUrl(): string;
  setupToken(): string | null;
  readonly evalProbe: EvalProbe;
}

export function createDaemon({ loaded, log, simSources, clockFromFrames, beforeTray }: DaemonDeps): Daemon {
  const { config: configured } = loaded;
  // Menu items of the store's new labels are checked once the running model knows the label.
  const storeLabels = newLabels(configured.storage.dataDir);
  const detectorLabels = (): readonly string[] => {
    try {
      return detect.detector().info().labels;
    } catch {
      return []; // before the detector started: no order is expanded yet
    }
  };
  const config = { ...configured, menu: menuWithNewLabels(configured.menu, storeLabels, detectorLabels) };
  // The bus names the failing listener's stage in its own field; it is not a stage itself.
  const bus = createEventBus(log.child({ component: 'bus' }));
  const stageLog = (stage: string): Logger => log.child({ stage });

  const store = createStoreStage({ storage: config.storage, log: stageLog('store') });
  const detect = createDetectStage({
    detector: config.detector,
    menu: configured.menu,
    baseDir: loaded.baseDir,
    dataDir: config.storage.dataDir,
    newLabels: storeLabels,
    log: stageLog('detect'),
  });
  const models = modelsStage(configured, log, detect.detector);
  const orders = createOrdersStage({
    config: {
      mqtt: config.mqtt,
      menu: config.menu,
      modifiers: config.modifiers,
      orders: config.orders,
      storeId: config.store.id,
    },
    dataDir: config.storage.dataDir,
    db: store.db,
    bus,
    log: stageLog('orders'),
  });
  const alerts = createAlertsStage({
    cameras: config.cameras,
    snapshotEveryVerdict: config.storage.snapshotEveryVerdict,
    caption: (v) => differenceLines(v, config.menu).join(' · '),
    db: store.db,
    snapshots: store.snapshots,
    publish: (kind, payload) => orders.orders().publishOutbound({ kind, payload }),
    bus,
    log: stageLog('alerts'),
  });
  const pipeline = createPipelineStage({
    config,
    db: store.db,
    detector: detect.detector,
    book: () => orders.orders().book,
    alerts: alerts.alerts,
    bus,
    log: stageLog('pipeline'),
    detectLog: stageLog('detect'),
    beforeTray,
  });
  const camera = createCameraStage({
    cameras: config.cameras,
    simSources,
    clockFromFrames,
    publishStatus: (s) =>
      orders.orders().publishOutbound({ kind: 'cameraStatus', cameraId: s.cameraId, payload: s }),
    bus,
    log: stageLog('camera'),
  });
  const health = createHealthStage({
    run: { version, startedAt: Date.now() },
    storage: config.storage,
    store: { db: store.db, snapshots: store.snapshots },
    stages: {
      providers: {
        cameras: () => camera.cameras().health(),
        broker: () => orders.orders().health(),
        model: () => detect.detector().health(),
        alerts: () => alerts.alerts().health(),
        snapshots: () => {
          const s = store.snapshots();
          if (!s) throw new Error('snapshots not started');
          return s.health();
        },
      },
      pipeline: {
        processed: () => pipeline.pipeline()?.processed() ?? 0,
        bus,
        // Trays of a camera whose frames stopped depart on the wall clock; under eval the clock is
        // frame time, and a shift running slower than real time (a loaded box) had every tray in
        // view departed by the wall clock each second, so none ever settled.
        expire: clockFromFrames ? undefined : (now) => pipeline.pipeline()?.expire(now),
      },
    },
    core: { log: stageLog('health') },
  });
  const dashboard = createDashboardStage({
    config,
    version,
    db: store.db,
    alerts: alerts.alerts,
    mqtt: () => orders.orders().mqtt,
    health: health.health,
    cameras: camera.cameras,
    detector: detect.detector,
    loaded,
    pipeline: pipeline.pipeline,
    snapshots: store.snapshots,
    bus,
    log: stageLog('dashboard'),
  });
  const capture = captureStage(config, log, bus, (id) => camera.cameras().latestFrame(id), detect.detector);
  const stages: Stage[] = [
    store,
    detect,
    models,
    orders,
    alerts,
    pipeline,
    camera,
    capture,
    health,
    dashboard,
  ];
  const started: Stage[] = [];

  // Eval's reads, prepared once per connection (it polls order_events after every publish).
  let evalReaders: { db: Db; orders: OrdersRepo; alerts: AlertsRepo } | null = null;
  const readers = (d: Db): NonNullable<typeof evalReaders> =>
    evalReaders?.db === d
      ? evalReaders
      : (evalReaders = { db: d, orders: createOrdersRepo(d), alerts: createAlertsRepo(d) });

  return {
    bus,
    brokerUrl: () => orders.orders().brokerUrl(),
    dashboardUrl: () => dashboard.dashboard().url(),
    setupToken: () => dashboard.setupToken(),
    evalProbe: {
      orderEventsStored: () =>
        started.includes(store) ? readers(store.db()).orders.count('order_events') : 0,
      sourceEnded: (id) => camera.sourceEnded(id),
      framesProcessed: () => pipeline.pipeline()?.processed() ?? 0,
      async drain() {
        await camera.cameras().stop();
        await pipeline.drainDetections();
      },
      verdicts: () =>
        createVerdictsRepo(store.db()).list({ limit: 100_000 }) as Array<Verdict & { id: number }>,
      alerts: () => readers(store.db()).alerts.listAll(),
    },
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
      health.health()?.ready();
      log.info(
        { ms: Date.now() - t0, store: config.store.id, cameras: config.cameras.length },
        'traycheck ready',
      );
    },
    async stop() {
      health.health()?.stopping();
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
