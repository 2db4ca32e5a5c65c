// An alerts-like object over the real tables (verdicts + alerts) that emits the real bus events:
// enough for dashboard tests while src/alerts is built by another helper.
import type { EventBus } from '../../src/events.js';
import type { Db } from '../../src/store/db.js';
import type { Alert, AlertResolution, Verdict } from '../../src/types.js';

interface Row {
  id: number;
  tray_id: string;
  camera_id: string;
  order_id: string | null;
  status: string;
  resolution: string | null;
  opened_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  snapshot_id: string | null;
  latency_ms: number | null;
  verdict_id: number;
}

export function insertVerdict(db: Db, v: Verdict): number {
  const r = db
    .prepare(
      `INSERT INTO verdicts (tray_id, camera_id, order_id, order_version, link, result, expected_json, observed_json, missing_json,
         extra_json, unverifiable_json, uncertain_json, snapshot_id, settled_ts, ts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    )
    .run(
      v.trayId,
      v.cameraId,
      v.orderId,
      v.orderVersion ?? null,
      v.link,
      v.result,
      JSON.stringify(v.expected),
      JSON.stringify(v.observed),
      JSON.stringify(v.missing),
      JSON.stringify(v.extra),
      JSON.stringify(v.unverifiable),
      JSON.stringify(v.uncertain),
      v.snapshotId ?? null,
      v.settledTs ?? null,
      v.ts,
    );
  return Number(r.lastInsertRowid);
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
  const verdictOf = (id: number): Verdict => {
    const r = db
      .prepare<[number], Record<string, string | number | null>>('SELECT * FROM verdicts WHERE id = ?')
      .get(id);
    if (!r) throw new Error(`verdict ${id} missing`);
    const j = (k: string) => JSON.parse(String(r[k])) as never;
    return makeVerdict({
      id,
      trayId: String(r.tray_id),
      cameraId: String(r.camera_id),
      orderId: r.order_id === null ? null : String(r.order_id),
      result: r.result as Verdict['result'],
      expected: j('expected_json'),
      observed: j('observed_json'),
      missing: j('missing_json'),
      extra: j('extra_json'),
      ts: Number(r.ts),
      snapshotId: r.snapshot_id === null ? null : String(r.snapshot_id),
    });
  };
  const toAlert = (r: Row): Alert => ({
    id: r.id,
    trayId: r.tray_id,
    cameraId: r.camera_id,
    orderId: r.order_id,
    verdict: verdictOf(r.verdict_id),
    status: r.status as Alert['status'],
    resolution: r.resolution as AlertResolution | null,
    openedAt: r.opened_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at,
    snapshotId: r.snapshot_id,
    latencyMs: r.latency_ms,
  });
  const get = (id: number): Alert | null => {
    const r = db.prepare<[number], Row>('SELECT * FROM alerts WHERE id = ?').get(id);
    return r ? toAlert(r) : null;
  };
  const emit = (id: number): Alert => {
    const a = get(id);
    if (!a) throw new Error('alert vanished');
    bus.emit('alert', a);
    return a;
  };
  return {
    /** Store a mismatch verdict and open an alert for it (emits verdict + alert). */
    raise(v: Verdict, opts: { latencyMs?: number; openedAt?: number } = {}): Alert {
      const verdictId = insertVerdict(db, v);
      const stored = { ...v, id: verdictId };
      bus.emit('verdict', stored);
      const r = db
        .prepare(
          'INSERT INTO alerts (tray_id, camera_id, order_id, verdict_id, status, opened_at, snapshot_id, latency_ms) VALUES (?,?,?,?,?,?,?,?)',
        )
        .run(
          v.trayId,
          v.cameraId,
          v.orderId,
          verdictId,
          'open',
          opts.openedAt ?? v.ts,
          v.snapshotId ?? null,
          opts.latencyMs ?? null,
        );
      return emit(Number(r.lastInsertRowid));
    },
    resolve(id: number, resolution: AlertResolution, at = Date.now()): Alert {
      db.prepare("UPDATE alerts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ?").run(
        resolution,
        at,
        id,
      );
      return emit(id);
    },
    acknowledge(id: number, by: string): Alert | null {
      const changed = db
        .prepare(
          "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND status = 'open'",
        )
        .run(Date.now(), by, id).changes;
      if (!changed) return get(id);
      return emit(id);
    },
    listOpen: (): Alert[] =>
      db.prepare<[], Row>("SELECT * FROM alerts WHERE status = 'open' ORDER BY opened_at").all().map(toAlert),
    get,
  };
}
