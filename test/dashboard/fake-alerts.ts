// The alerts stage's side the dashboard sees, over the real repositories (store/alerts-repo.ts,
// store/verdicts-repo.ts), emitting the real bus events. Tests raise and resolve alerts at given
// times directly instead of driving trays through the alert lifecycle (test/alerts/ covers that).
import type { EventBus } from '../../src/events.js';
import { createAlertsRepo } from '../../src/store/alerts-repo.js';
import type { Db } from '../../src/store/db.js';
import { createVerdictsRepo } from '../../src/store/verdicts-repo.js';
import type { Alert, AlertResolution, Verdict } from '../../src/types.js';

/** Stores a verdict as the alerts stage does; returns its id. */
export function insertVerdict(db: Db, v: Verdict): number {
  return createVerdictsRepo(db).insert(v);
}

export function makeVerdict(p: Partial<Verdict> & { orderId: string | null }): Verdict {
  return {
    trayId: 'expo-1',
    cameraId: 'expo',
    link: 'ready',
    result: 'mismatch',
    expected: {},
    observed: {},
    missing: {},
    extra: {},
    unverifiable: [],
    uncertain: [],
    ts: Date.now(),
    ...p,
  };
}

export function createFakeAlerts(db: Db, bus: EventBus) {
  const verdicts = createVerdictsRepo(db);
  const alerts = createAlertsRepo(db);
  const emit = (id: number): Alert => {
    const a = alerts.get(id);
    if (!a) throw new Error('alert vanished');
    bus.emit('alert', a);
    return a;
  };
  return {
    /** Store a mismatch verdict and open an alert for it (emits verdict + alert). */
    raise(v: Verdict, opts: { latencyMs?: number; openedAt?: number } = {}): Alert {
      const verdictId = verdicts.insert(v);
      bus.emit('verdict', { ...v, id: verdictId });
      const id = alerts.insert({
        trayId: v.trayId,
        cameraId: v.cameraId,
        orderId: v.orderId,
        verdictId,
        openedAt: opts.openedAt ?? v.ts,
        snapshotId: v.snapshotId ?? null,
        latencyMs: opts.latencyMs ?? null,
      });
      return emit(id);
    },
    resolve(id: number, resolution: AlertResolution, at = Date.now()): Alert {
      alerts.resolve(id, resolution, at);
      return emit(id);
    },
    acknowledge(id: number, by: string): Alert | null {
      if (!alerts.acknowledge(id, by, Date.now())) return alerts.get(id);
      return emit(id);
    },
    dismiss(id: number, by: string): Alert | null {
      if (!alerts.dismiss(id, by, Date.now())) return alerts.get(id);
      return emit(id);
    },
    listServedWrong: (since: number, limit: number): Alert[] => alerts.listServedWrongSince(since, limit),
    falseAlarm(id: number, by: string): Alert | null {
      if (!alerts.markFalseAlarm(id, by, Date.now())) return alerts.get(id);
      return emit(id);
    },
    listOpen: (): Alert[] => alerts.listUnresolved(),
    get: (id: number): Alert | null => alerts.get(id),
  };
}
