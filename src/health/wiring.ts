// The daemon's health and upkeep in one stage: the health report (stage providers + disk + db +
// pipeline), systemd notify (READY/STATUS/STOPPING) and the watchdog fed by real pipeline progress,
// data retention, and the main loop's tick that departs trays of cameras whose frames stopped.
import type { StorageConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { createRetention, type Retention, type SnapshotRetention } from '../store/retention.js';
import { createDbHealth } from './db.js';
import { createDiskHealth } from './disk.js';
import { createHealth } from './index.js';
import { createSystemdNotifier, type NotifySender } from './systemd.js';
import type { HealthProvider, HealthReport } from './types.js';
import { createWatchdog, pipelineProgress } from './watchdog.js';

/** The pipeline's progress, which the watchdog and the main loop's tick read. */
export interface PipelineProgress {
  /** Frames that went through detection and the tray stage so far (monotonic). */
  processed: () => number;
  /**
   * Frames delivered by the cameras so far (monotonic); tells idle (nothing arrives) from stuck.
   * Without it (and without `bus`), the watchdog only proves the event loop is alive.
   */
  received?: () => number;
  /** When given and `received` is not, 'frame' events are counted as received. */
  bus?: EventBus;
  /** Called on the main loop's tick (departs trays whose camera stopped sending frames). */
  expire?: (now: number) => void;
  tickMs?: number;
}

/** What the health stage needs from the rest of the daemon (src/daemon.ts), grouped by who gives it. */
export interface HealthWiringDeps {
  /** This run, as the report shows it. */
  run: { version: string; startedAt: number };
  /** The storage section: data folder and its reserve (disk component), retention. */
  storage: Pick<
    StorageConfig,
    'dataDir' | 'diskReserveBytes' | 'verdictRetentionDays' | 'retentionIntervalMin'
  >;
  /** The store stage's parts. */
  store: {
    db: Db | (() => Db);
    /** Its paused() is shown by the disk component; retention calls its runRetention(now). */
    snapshots?: SnapshotRetention & { paused?: () => boolean };
  };
  /**
   * What the report covers: the stages' providers by component name (cameras, broker, model, ...)
   * and the pipeline's progress, which the watchdog and the main loop's tick also read.
   */
  stages: { providers: Record<string, HealthProvider>; pipeline: PipelineProgress };
  /**
   * The stage's logger; the clock (default Date.now) and systemd's environment (default
   * process.env) and notify transport (default systemd-notify), given by tests.
   */
  core: { log: Logger; now?: () => number; systemd?: { env?: NodeJS.ProcessEnv; send?: NotifySender } };
}

export interface HealthWiring {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Tells systemd start-up is complete (Type=notify). */
  ready(): void;
  /** Tells systemd shutdown has begun. */
  stopping(): void;
  report(): HealthReport;
  register(name: string, provider: HealthProvider): void;
  retention(): Retention;
}

export function createHealthWiring(deps: HealthWiringDeps): HealthWiring {
  const { log, systemd } = deps.core;
  const { snapshots } = deps.store;
  const now = deps.core.now ?? Date.now;
  const getDb =
    typeof deps.store.db === 'function'
      ? deps.store.db
      : (
          (db: Db) => () =>
            db
        )(deps.store.db);
  let framesSeen = 0;
  let unsubscribe: (() => void) | null = null;
  const { pipeline } = deps.stages;
  const received = pipeline.received ?? (pipeline.bus ? () => framesSeen : null);

  const notifier = createSystemdNotifier({ log, env: systemd?.env, send: systemd?.send });
  const progress = received ? pipelineProgress({ received, processed: pipeline.processed }) : () => true;
  const watchdog = createWatchdog({ notifier, intervalMs: notifier.watchdogIntervalMs, progress, log, now });
  const health = createHealth({
    version: deps.run.version,
    startedAt: deps.run.startedAt,
    now,
    providers: {
      ...deps.stages.providers,
      disk: createDiskHealth({
        dataDir: deps.storage.dataDir,
        reserveBytes: deps.storage.diskReserveBytes,
        snapshotsPaused: snapshots?.paused ? () => snapshots.paused?.() ?? false : undefined,
      }),
      db: createDbHealth({ db: getDb }),
      pipeline: () => watchdog.health(),
    },
  });
  let retention: Retention | null = null;
  let tick: NodeJS.Timeout | null = null;
  let statusTimer: NodeJS.Timeout | null = null;
  let lastStatus = '';

  // `systemctl status traycheck` shows this line; sent only when it changes.
  const summary = (r: HealthReport): string => {
    const bad = Object.entries(r.components).filter(([, c]) => c.state !== 'ok');
    return bad.length === 0 ? 'ok' : `degraded: ${bad.map(([n, c]) => `${n} ${c.state}`).join(', ')}`;
  };
  const pushStatus = (): void => {
    const text = summary(health.report());
    if (text === lastStatus) return;
    lastStatus = text;
    void notifier.status(text);
  };

  return {
    async start() {
      if (!received)
        log.warn('health wiring: no frame counter; the watchdog only proves the event loop runs');
      if (pipeline.bus && !pipeline.received)
        unsubscribe = pipeline.bus.on('frame', 'health', () => void framesSeen++);
      retention ??= createRetention({
        db: getDb(),
        config: deps.storage,
        snapshots,
        log,
        now,
      });
      await retention.start();
      watchdog.start();
      if (pipeline.expire) {
        const expire = pipeline.expire;
        tick = setInterval(() => {
          try {
            expire(now());
          } catch (err) {
            log.error({ err }, 'tray expiry failed');
          }
        }, pipeline.tickMs ?? 1000);
      }
      if (notifier.enabled) {
        statusTimer = setInterval(pushStatus, notifier.watchdogIntervalMs ?? 10_000);
        statusTimer.unref();
      }
    },
    async stop() {
      watchdog.stop();
      retention?.stop();
      if (tick) clearInterval(tick);
      if (statusTimer) clearInterval(statusTimer);
      tick = statusTimer = null;
      unsubscribe?.();
      unsubscribe = null;
      await Promise.resolve();
    },
    ready() {
      void notifier.ready();
      lastStatus = 'running';
    },
    stopping() {
      void notifier.stopping();
    },
    report: () => health.report(),
    register: (name, provider) => health.register(name, provider),
    retention() {
      if (!retention) throw new Error('health wiring not started');
      return retention;
    },
  };
}
