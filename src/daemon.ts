// Composition root: builds every stage from its own part of the config and starts them in
// pipeline order; stops them in reverse (STYLE.md: "main starts stages in order").
import { join } from 'node:path';
import type { LoadedConfig } from './config/load.js';
import { createEventBus, type EventBus } from './events.js';
import type { Logger } from './log.js';
import { openDatabase, type Db } from './store/db.js';

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
}

export interface Daemon {
  start(): Promise<void>;
  stop(): Promise<void>;
  bus: EventBus;
  db(): Db;
}

export function createDaemon({ loaded, log }: DaemonDeps): Daemon {
  const { config } = loaded;
  const bus = createEventBus(log.child({ stage: 'bus' }));
  const started: Stage[] = [];
  let db: Db | null = null;
  // The main loop's tick: keeps the process alive and (later) feeds the systemd watchdog.
  let tick: NodeJS.Timeout | null = null;

  const stages: Stage[] = [
    {
      name: 'store',
      start() {
        db = openDatabase(join(config.storage.dataDir, 'traycheck.db'));
      },
      stop() {
        db?.close();
        db = null;
      },
    },
  ];

  return {
    bus,
    db() {
      if (!db) throw new Error('store not started');
      return db;
    },
    async start() {
      const t0 = Date.now();
      for (const stage of stages) {
        const s0 = Date.now();
        await stage.start();
        started.push(stage);
        log.debug({ stage: stage.name, ms: Date.now() - s0 }, 'stage started');
      }
      tick = setInterval(() => undefined, 1000);
      log.info({ ms: Date.now() - t0, store: config.store.id }, 'traycheck ready');
    },
    async stop() {
      if (tick) clearInterval(tick);
      tick = null;
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
