// Alerts: one row per tray mismatch state, with the verdict that last described it.
import type { Alert, AlertResolution, AlertStatus } from '../types.js';
import type { Db } from './db.js';
import { createVerdictsRepo } from './verdicts-repo.js';

interface RawAlert {
  id: number;
  tray_id: string;
  camera_id: string;
  order_id: string | null;
  verdict_id: number;
  /** Written only by this repository, from the union types. */
  status: AlertStatus;
  resolution: AlertResolution | null;
  opened_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  snapshot_id: string | null;
  latency_ms: number | null;
  dismissed_at: number | null;
  dismissed_by: string | null;
}

export interface NewAlert {
  trayId: string;
  cameraId: string;
  orderId: string | null;
  verdictId: number;
  openedAt: number;
  snapshotId?: string | null;
  latencyMs?: number | null;
}

export interface AlertsRepo {
  insert(a: NewAlert): number;
  get(id: number): Alert | null;
  /** Open and acknowledged alerts, oldest first. */
  listUnresolved(): Alert[];
  /** Newest first, any status. */
  listRecent(limit: number): Alert[];
  /** Every alert, oldest first (by id): eval scores them all. */
  listAll(): Alert[];
  /** Alerts resolved this way at or after `since`, in the order they resolved (at most `limit`). */
  listResolvedSince(resolution: AlertResolution, since: number, limit: number): Alert[];
  countByStatus(): Record<AlertStatus, number>;
  /** Attaches a newer verdict describing the same tray (and its order). */
  setVerdict(id: number, verdictId: number, orderId: string | null): void;
  setSnapshot(id: number, snapshotId: string): void;
  /** open → acknowledged; false when the alert is not open. */
  acknowledge(id: number, by: string, ts: number): boolean;
  /** open/acknowledged → resolved; false when already resolved. */
  resolve(id: number, resolution: AlertResolution, ts: number): boolean;
  /** Served with an error, resolved at or after `since` and not dismissed yet, oldest first. */
  listServedWrongSince(since: number, limit: number): Alert[];
  /** Takes a served-with-error alert off the wall screens; false when not one or already dismissed. */
  dismiss(id: number, by: string, ts: number): boolean;
  /** open/acknowledged → resolved false-alarm, by whom and when (acknowledged_by/_at); false when already resolved. */
  markFalseAlarm(id: number, by: string, ts: number): boolean;
  /** Deletes resolved alerts opened before `ts` (run before verdict retention); returns how many. */
  deleteResolvedBefore(ts: number): number;
}

export function createAlertsRepo(db: Db): AlertsRepo {
  const verdicts = createVerdictsRepo(db);
  const q = {
    insert: db.prepare(
      `INSERT INTO alerts (tray_id, camera_id, order_id, verdict_id, status, opened_at, snapshot_id, latency_ms)
       VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`,
    ),
    get: db.prepare<[number], RawAlert>('SELECT * FROM alerts WHERE id = ?'),
    unresolved: db.prepare<[], RawAlert>(
      "SELECT * FROM alerts WHERE status IN ('open', 'acknowledged') ORDER BY opened_at, id",
    ),
    recent: db.prepare<[number], RawAlert>('SELECT * FROM alerts ORDER BY opened_at DESC, id DESC LIMIT ?'),
    everything: db.prepare<[], RawAlert>('SELECT * FROM alerts ORDER BY id'),
    resolvedSince: db.prepare<[AlertResolution, number, number], RawAlert>(
      "SELECT * FROM alerts WHERE status = 'resolved' AND resolution = ? AND resolved_at >= ? ORDER BY resolved_at, id LIMIT ?",
    ),
    counts: db.prepare<[], { status: AlertStatus; n: number }>(
      'SELECT status, COUNT(*) AS n FROM alerts GROUP BY status',
    ),
    setVerdict: db.prepare('UPDATE alerts SET verdict_id = ?, order_id = ? WHERE id = ?'),
    setSnapshot: db.prepare('UPDATE alerts SET snapshot_id = ? WHERE id = ?'),
    ack: db.prepare(
      "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND status = 'open'",
    ),
    resolve: db.prepare(
      "UPDATE alerts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ? AND status IN ('open', 'acknowledged')",
    ),
    servedWrong: db.prepare<[number, number], RawAlert>(
      `SELECT * FROM alerts WHERE resolution = 'served-with-error' AND resolved_at >= ? AND dismissed_at IS NULL
        ORDER BY resolved_at, id LIMIT ?`,
    ),
    dismiss: db.prepare(
      `UPDATE alerts SET dismissed_at = ?, dismissed_by = ?
        WHERE id = ? AND resolution = 'served-with-error' AND dismissed_at IS NULL`,
    ),
    falseAlarm: db.prepare(
      `UPDATE alerts SET status = 'resolved', resolution = 'false-alarm', resolved_at = ?,
              acknowledged_at = ?, acknowledged_by = ?
        WHERE id = ? AND status IN ('open', 'acknowledged')`,
    ),
    deleteResolved: db.prepare("DELETE FROM alerts WHERE status = 'resolved' AND opened_at < ?"),
  };

  const toAlert = (r: RawAlert): Alert | null => {
    const verdict = verdicts.get(r.verdict_id);
    if (!verdict) return null;
    return {
      id: r.id,
      trayId: r.tray_id,
      cameraId: r.camera_id,
      orderId: r.order_id,
      verdict,
      status: r.status,
      resolution: r.resolution,
      openedAt: r.opened_at,
      acknowledgedAt: r.acknowledged_at,
      acknowledgedBy: r.acknowledged_by,
      resolvedAt: r.resolved_at,
      snapshotId: r.snapshot_id,
      latencyMs: r.latency_ms,
      dismissedAt: r.dismissed_at,
      dismissedBy: r.dismissed_by,
    };
  };
  const all = (rows: RawAlert[]): Alert[] => rows.map(toAlert).filter((a): a is Alert => a !== null);

  return {
    insert(a) {
      const info = q.insert.run(
        a.trayId,
        a.cameraId,
        a.orderId,
        a.verdictId,
        a.openedAt,
        a.snapshotId ?? null,
        a.latencyMs ?? null,
      );
      return Number(info.lastInsertRowid);
    },
    get(id) {
      const r = q.get.get(id);
      return r ? toAlert(r) : null;
    },
    listUnresolved: () => all(q.unresolved.all()),
    listRecent: (limit) => all(q.recent.all(limit)),
    listAll: () => all(q.everything.all()),
    listResolvedSince: (resolution, since, limit) => all(q.resolvedSince.all(resolution, since, limit)),
    countByStatus() {
      const out: Record<AlertStatus, number> = { open: 0, acknowledged: 0, resolved: 0 };
      for (const r of q.counts.all()) if (r.status in out) out[r.status] = r.n;
      return out;
    },
    setVerdict(id, verdictId, orderId) {
      q.setVerdict.run(verdictId, orderId, id);
    },
    setSnapshot(id, snapshotId) {
      q.setSnapshot.run(snapshotId, id);
    },
    acknowledge: (id, by, ts) => q.ack.run(ts, by, id).changes > 0,
    resolve: (id, resolution, ts) => q.resolve.run(resolution, ts, id).changes > 0,
    listServedWrongSince: (since, limit) => all(q.servedWrong.all(since, limit)),
    dismiss: (id, by, ts) => q.dismiss.run(ts, by, id).changes > 0,
    markFalseAlarm: (id, by, ts) => q.falseAlarm.run(ts, ts, by, id).changes > 0,
    deleteResolvedBefore: (ts) => q.deleteResolved.run(ts).changes,
  };
}
