// The verdict history as the dashboard reads it: a search (order id prefix, result, dates,
// camera, item), paged or as CSV rows, one verdict with its alerts and the detections of the tray
// observation it was made from. Read only; src/dashboard/queries/ turns the rows into menu words.
import type { Db } from './db.js';
import type { VerdictRow } from './verdicts-repo.js';

export interface VerdictSearch {
  orderId?: string | undefined;
  result?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  cameraId?: string | undefined;
  item?: string | undefined;
}

/** An `alerts` row as the evidence view shows it. */
export interface AlertEvidenceRow {
  id: number;
  status: string;
  resolution: string | null;
  opened_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  latency_ms: number | null;
  dismissed_at: number | null;
  dismissed_by: string | null;
}

/** A verdict of the list with its newest alert's resolution. */
export type VerdictListRow = VerdictRow & { resolution: string | null };

/** A verdict of the CSV export with its newest alert. */
export type VerdictCsvRow = VerdictRow & {
  alert_id: number | null;
  resolution: string | null;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
};

/** The WHERE clause of a search (shared by the paged list and the CSV export). */
export function verdictFilter(s: VerdictSearch) {
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (s.orderId) {
    // Prefix match so "10" finds 104, 1057...; LIKE wildcards in the input are taken literally.
    where.push("v.order_id LIKE ? ESCAPE '\\'");
    args.push(s.orderId.replace(/[\\%_]/g, (c) => `\\${c}`) + '%');
  }
  if (s.result) {
    where.push('v.result = ?');
    args.push(s.result);
  }
  if (s.from !== undefined) {
    where.push('v.ts >= ?');
    args.push(s.from);
  }
  if (s.to !== undefined) {
    where.push('v.ts < ?');
    args.push(s.to);
  }
  if (s.cameraId) {
    where.push('v.camera_id = ?');
    args.push(s.cameraId);
  }
  if (s.item) {
    // Counts are stored as JSON objects keyed by label (the label pattern allows no quotes).
    const key = `%"${s.item.replace(/[\\%_]/g, (c) => `\\${c}`)}":%`;
    where.push("(v.missing_json LIKE ? ESCAPE '\\' OR v.extra_json LIKE ? ESCAPE '\\')");
    args.push(key, key);
  }
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

export function createHistoryRepo(db: Db) {
  const verdict = db.prepare<[number], VerdictRow>('SELECT * FROM verdicts WHERE id = ?');
  const alertsOf = db.prepare<[number], AlertEvidenceRow>(
    'SELECT * FROM alerts WHERE verdict_id = ? ORDER BY id',
  );
  // The settled/changed observation the verdict was made from: same tray, newest at or before it.
  const detectionsOf = db.prepare<[string, string, number], { detections_json: string | null }>(
    `SELECT detections_json FROM tray_observations
      WHERE tray_id = ? AND camera_id = ? AND phase != 'departed' AND ts <= ?
      ORDER BY ts DESC, id DESC LIMIT 1`,
  );
  const cameras = db.prepare<[], { camera_id: string }>('SELECT DISTINCT camera_id FROM verdicts LIMIT 50');

  return {
    /** One page, newest first, with the total matching. */
    search(s: VerdictSearch, page: { limit: number; offset: number }) {
      const { clause, args } = verdictFilter(s);
      const total =
        db
          .prepare<Array<string | number>, { n: number }>(`SELECT COUNT(*) AS n FROM verdicts v ${clause}`)
          .get(...args)?.n ?? 0;
      const rows = db
        .prepare<Array<string | number>, VerdictListRow>(
          `SELECT v.*, (SELECT a.resolution FROM alerts a WHERE a.verdict_id = v.id ORDER BY a.id DESC LIMIT 1) AS resolution
             FROM verdicts v ${clause} ORDER BY v.ts DESC, v.id DESC LIMIT ? OFFSET ?`,
        )
        .all(...args, page.limit, page.offset);
      return { rows, total };
    },
    /** At most `limit` rows for the CSV export, newest first. */
    csvRows(s: VerdictSearch, limit: number): VerdictCsvRow[] {
      const { clause, args } = verdictFilter(s);
      return db
        .prepare<Array<string | number>, VerdictCsvRow>(
          `SELECT v.*, a.id AS alert_id, a.resolution, a.acknowledged_by, a.acknowledged_at
             FROM verdicts v LEFT JOIN alerts a ON a.id = (SELECT MAX(id) FROM alerts WHERE verdict_id = v.id)
             ${clause} ORDER BY v.ts DESC, v.id DESC LIMIT ?`,
        )
        .all(...args, limit);
    },
    verdict: (id: number): VerdictRow | null => verdict.get(id) ?? null,
    alertsOf: (verdictId: number): AlertEvidenceRow[] => alertsOf.all(verdictId),
    /** The detections JSON of the observation behind a verdict; null when none was stored. */
    detectionsJson: (v: Pick<VerdictRow, 'tray_id' | 'camera_id' | 'ts'>): string | null =>
      detectionsOf.get(v.tray_id, v.camera_id, v.ts)?.detections_json ?? null,
    camerasSeen: (): string[] => cameras.all().map((r) => r.camera_id),
  };
}

export type HistoryRepo = ReturnType<typeof createHistoryRepo>;
