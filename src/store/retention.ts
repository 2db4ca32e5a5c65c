// Data hygiene: verdicts, alerts, orders, order events, rejected messages and tray observations
// older than storage.verdictRetentionDays are deleted, oldest first, in small batches (the event
// loop keeps serving frames between them). Snapshots are the snapshot store's business: its
// runRetention(now) is called first. Runs at start, then every storage.retentionIntervalMin.
import type { StorageConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Db } from './db.js';

export interface RetentionResult {
  /** Rows older than this (epoch ms) were deleted. */
  cutoff: number;
  verdictsDeleted: number;
  alertsDeleted: number;
  ordersDeleted: number;
  rejectedDeleted: number;
  /** order_events rows. */
  eventsDeleted: number;
  /** tray_observations rows. */
  observationsDeleted: number;
  /** What the snapshot store's runRetention returned; null without a snapshot store; { error } if it threw. */
  snapshot: object | null;
  /** true when stop() cut the run short (the rest is deleted next run). */
  interrupted: boolean;
  ms: number;
}

export interface SnapshotRetention {
  runRetention(now: number): object | Promise<object>;
}

export interface RetentionDeps {
  db: Db;
  config: Pick<StorageConfig, 'verdictRetentionDays' | 'retentionIntervalMin'>;
  snapshots?: SnapshotRetention;
  log: Logger;
  now?: () => number;
  /** Rows per DELETE statement. */
  batchSize?: number;
}

export interface Retention {
  /** Runs once now (errors are logged, never thrown), then every retentionIntervalMin. */
  start(): Promise<void>;
  /** Stops the timer; a run in progress ends after its current batch. */
  stop(): void;
  runOnce(now?: number): Promise<RetentionResult>;
  lastResult(): RetentionResult | null;
}

const DAY_MS = 86_400_000;
type Counter = Exclude<keyof RetentionResult, 'cutoff' | 'snapshot' | 'interrupted' | 'ms'>;

// Children before parents: alerts reference verdicts (FK). A verdict still referenced by a newer
// alert stays until that alert ages out.
const STEPS: { key: Counter; table: string; sql: string }[] = [
  {
    key: 'alertsDeleted',
    table: 'alerts',
    sql: 'DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE opened_at < @cutoff ORDER BY opened_at, id LIMIT @limit)',
  },
  {
    key: 'verdictsDeleted',
    table: 'verdicts',
    sql: `DELETE FROM verdicts WHERE id IN (SELECT v.id FROM verdicts v WHERE v.ts < @cutoff
            AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.verdict_id = v.id) ORDER BY v.ts, v.id LIMIT @limit)`,
  },
  {
    key: 'observationsDeleted',
    table: 'tray_observations',
    sql: 'DELETE FROM tray_observations WHERE id IN (SELECT id FROM tray_observations WHERE ts < @cutoff ORDER BY ts, id LIMIT @limit)',
  },
  {
    key: 'eventsDeleted',
    table: 'order_events',
    sql: 'DELETE FROM order_events WHERE id IN (SELECT id FROM order_events WHERE received_at < @cutoff ORDER BY received_at, id LIMIT @limit)',
  },
  {
    key: 'ordersDeleted',
    table: 'orders',
    sql: `DELETE FROM orders WHERE order_id IN (SELECT order_id FROM orders WHERE updated_at < @cutoff
            ORDER BY updated_at, order_id LIMIT @limit)`,
  },
  {
    key: 'rejectedDeleted',
    table: 'rejected_messages',
    sql: 'DELETE FROM rejected_messages WHERE id IN (SELECT id FROM rejected_messages WHERE received_at < @cutoff ORDER BY received_at, id LIMIT @limit)',
  },
];

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export function createRetention(deps: RetentionDeps): Retention {
  const log = deps.log.child({ component: 'retention' });
  const now = deps.now ?? Date.now;
  const batchSize = deps.batchSize ?? 1000;
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;
  let running: Promise<RetentionResult> | null = null;
  let last: RetentionResult | null = null;
  let statements: { key: Counter; table: string; run: (cutoff: number) => number }[] | null = null;

  const prepare = (): NonNullable<typeof statements> =>
    (statements ??= STEPS.map((s) => {
      const stmt = deps.db.prepare(s.sql);
      return {
        key: s.key,
        table: s.table,
        run: (cutoff: number) => stmt.run({ cutoff, limit: batchSize }).changes,
      };
    }));

  const runSnapshots = async (t: number): Promise<object | null> => {
    if (!deps.snapshots) return null;
    try {
      return await deps.snapshots.runRetention(t);
    } catch (err) {
      log.error({ err }, 'snapshot retention failed');
      return { error: err instanceof Error ? err.message : String(err) };
    }
  };

  const run = async (t: number): Promise<RetentionResult> => {
    const t0 = Date.now();
    const cutoff = t - deps.config.verdictRetentionDays * DAY_MS;
    const result: RetentionResult = {
      cutoff,
      verdictsDeleted: 0,
      alertsDeleted: 0,
      ordersDeleted: 0,
      rejectedDeleted: 0,
      eventsDeleted: 0,
      observationsDeleted: 0,
      snapshot: await runSnapshots(t),
      interrupted: false,
      ms: 0,
    };
    for (const step of prepare()) {
      for (;;) {
        if (stopping) {
          result.interrupted = true;
          break;
        }
        const n = step.run(cutoff);
        result[step.key] += n;
        if (n < batchSize) break;
        await yieldToLoop();
      }
    }
    deps.db
      .prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
      .run('retention.lastRunAt', String(t));
    result.ms = Date.now() - t0;
    const deleted = STEPS.reduce((sum, s) => sum + result[s.key], 0);
    if (deleted > 0 || result.interrupted) log.info(result, 'retention: old rows deleted');
    else log.debug(result, 'retention: nothing to delete');
    last = result;
    return result;
  };

  const runOnce = (t: number = now()): Promise<RetentionResult> => {
    // One run at a time: a timer firing during a long run waits for it instead of racing it.
    const next = (running ?? Promise.resolve()).then(
      () => run(t),
      () => run(t),
    );
    running = next;
    return next.finally(() => {
      if (running === next) running = null;
    });
  };

  const safeRun = async (): Promise<void> => {
    try {
      await runOnce();
    } catch (err) {
      log.error({ err }, 'retention run failed');
    }
  };

  return {
    async start() {
      stopping = false;
      await safeRun();
      if (stopping || timer) return;
      timer = setInterval(() => void safeRun(), deps.config.retentionIntervalMin * 60_000);
      timer.unref();
    },
    stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
    },
    runOnce,
    lastResult: () => last,
  };
}
