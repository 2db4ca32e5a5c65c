// Verdicts: one row per verdict (settled or changed tray), kept for history and the alerts they open.
import type { LabelCounts, LinkMethod, Verdict, VerdictResult } from '../types.js';
import type { Db } from './db.js';

/** A `verdicts` table row as SQLite returns it. */
export interface VerdictRow {
  id: number;
  tray_id: string;
  camera_id: string;
  order_id: string | null;
  order_version: number | null;
  /** Written only by this repository, from the union types. */
  link: LinkMethod;
  result: VerdictResult;
  expected_json: string;
  observed_json: string;
  missing_json: string;
  extra_json: string;
  unverifiable_json: string;
  uncertain_json: string;
  model_sha256: string | null;
  snapshot_id: string | null;
  settled_ts: number | null;
  lines_json: string | null;
  tray_inferred: number;
  ts: number;
}

const counts = (json: string): LabelCounts => JSON.parse(json) as LabelCounts;
const strings = (json: string): string[] => JSON.parse(json) as string[];

export const toVerdict = (r: VerdictRow): Verdict => ({
  id: r.id,
  trayId: r.tray_id,
  cameraId: r.camera_id,
  orderId: r.order_id,
  orderVersion: r.order_version,
  link: r.link,
  result: r.result,
  expected: counts(r.expected_json),
  observed: counts(r.observed_json),
  missing: counts(r.missing_json),
  extra: counts(r.extra_json),
  unverifiable: strings(r.unverifiable_json),
  uncertain: strings(r.uncertain_json),
  ts: r.ts,
  ...(r.settled_ts != null ? { settledTs: r.settled_ts } : {}),
  ...(r.model_sha256 != null ? { modelSha256: r.model_sha256 } : {}),
  snapshotId: r.snapshot_id,
  ...(r.lines_json != null ? { lines: strings(r.lines_json) } : {}),
  ...(r.tray_inferred ? { trayInferred: true } : {}),
});

export interface VerdictFilter {
  limit?: number;
  /** ts >= sinceTs */
  sinceTs?: number;
  /** ts < untilTs */
  untilTs?: number;
  orderId?: string;
  trayId?: string;
  cameraId?: string;
}

export interface VerdictsRepo {
  /** Stores the verdict; returns its id. */
  insert(v: Verdict): number;
  get(id: number): Verdict | null;
  setSnapshot(id: number, snapshotId: string): void;
  /** Newest first. */
  listRecent(limit: number): Verdict[];
  /** Oldest first (by id), filtered. */
  list(opts?: VerdictFilter): Verdict[];
  /** Highest n among stored tray ids `<cameraId>-<n>` (0 when none): seed for new tray ids after a restart. */
  lastTrayNumber(cameraId: string): number;
  /** Deletes verdicts older than `ts` that no alert refers to; returns how many. */
  deleteBefore(ts: number): number;
}

export function createVerdictsRepo(db: Db): VerdictsRepo {
  const q = {
    insert: db.prepare(
      `INSERT INTO verdicts (tray_id, camera_id, order_id, order_version, link, result, expected_json, observed_json,
         missing_json, extra_json, unverifiable_json, uncertain_json, model_sha256, snapshot_id, settled_ts, lines_json, tray_inferred, ts)
       VALUES (@trayId, @cameraId, @orderId, @orderVersion, @link, @result, @expected, @observed,
         @missing, @extra, @unverifiable, @uncertain, @modelSha256, @snapshotId, @settledTs, @lines, @trayInferred, @ts)`,
    ),
    get: db.prepare<[number], VerdictRow>('SELECT * FROM verdicts WHERE id = ?'),
    snapshot: db.prepare('UPDATE verdicts SET snapshot_id = ? WHERE id = ?'),
    recent: db.prepare<[number], VerdictRow>('SELECT * FROM verdicts ORDER BY ts DESC, id DESC LIMIT ?'),
    lastTray: db.prepare<[number, string, string], { n: number | null }>(
      `SELECT MAX(CAST(substr(tray_id, ? + 2) AS INTEGER)) AS n FROM verdicts WHERE camera_id = ? AND tray_id LIKE ? ESCAPE '\\'`,
    ),
    deleteBefore: db.prepare(
      'DELETE FROM verdicts WHERE ts < ? AND id NOT IN (SELECT verdict_id FROM alerts)',
    ),
  };
  return {
    insert(v) {
      const info = q.insert.run({
        trayId: v.trayId,
        cameraId: v.cameraId,
        orderId: v.orderId,
        orderVersion: v.orderVersion ?? null,
        link: v.link,
        result: v.result,
        expected: JSON.stringify(v.expected),
        observed: JSON.stringify(v.observed),
        missing: JSON.stringify(v.missing),
        extra: JSON.stringify(v.extra),
        unverifiable: JSON.stringify(v.unverifiable),
        uncertain: JSON.stringify(v.uncertain),
        modelSha256: v.modelSha256 ?? null,
        snapshotId: v.snapshotId ?? null,
        settledTs: v.settledTs ?? null,
        lines: v.lines ? JSON.stringify(v.lines) : null,
        trayInferred: v.trayInferred ? 1 : 0,
        ts: v.ts,
      });
      return Number(info.lastInsertRowid);
    },
    get(id) {
      const r = q.get.get(id);
      return r ? toVerdict(r) : null;
    },
    setSnapshot(id, snapshotId) {
      q.snapshot.run(snapshotId, id);
    },
    listRecent(limit) {
      return q.recent.all(limit).map(toVerdict);
    },
    list(opts = {}) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const add = (sql: string, v: string | number | undefined): void => {
        if (v === undefined) return;
        where.push(sql);
        args.push(v);
      };
      add('ts >= ?', opts.sinceTs);
      add('ts < ?', opts.untilTs);
      add('order_id = ?', opts.orderId);
      add('tray_id = ?', opts.trayId);
      add('camera_id = ?', opts.cameraId);
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      args.push(opts.limit ?? -1);
      return db
        .prepare<(string | number)[], VerdictRow>(`SELECT * FROM verdicts ${clause} ORDER BY id LIMIT ?`)
        .all(...args)
        .map(toVerdict);
    },
    lastTrayNumber(cameraId) {
      const like = `${cameraId.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`;
      return q.lastTray.get(cameraId.length, cameraId, like)?.n ?? 0;
    },
    deleteBefore(ts) {
      return q.deleteBefore.run(ts).changes;
    },
  };
}
