// Searchable verdict history (order id, result, date range), newest first, paged.
import type { Db } from '../../store/db.js';
import type { VerdictRow } from '../../store/verdicts-repo.js';
import type { LabelCounts } from '../../types.js';
import { differenceLines, type Menu } from '../present.js';
import { parseJson } from './json.js';

export interface VerdictSearch {
  orderId?: string | undefined;
  result?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  cameraId?: string | undefined;
  item?: string | undefined;
  page: number;
  pageSize: number;
}

/** The stored verdict with its alert's resolution (joined). */
type Row = Omit<VerdictRow, 'order_version' | 'model_sha256' | 'settled_ts'> & { resolution: string | null };

/** The WHERE clause of a search (shared by the paged list and the CSV export). */
export function verdictFilter(s: Omit<VerdictSearch, 'page' | 'pageSize'>) {
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

export function searchVerdicts(db: Db, menu: Menu, s: VerdictSearch) {
  const { clause, args } = verdictFilter(s);
  const total =
    db
      .prepare<Array<string | number>, { n: number }>(`SELECT COUNT(*) AS n FROM verdicts v ${clause}`)
      .get(...args)?.n ?? 0;
  const rows = db
    .prepare<Array<string | number>, Row>(
      `SELECT v.*, (SELECT a.resolution FROM alerts a WHERE a.verdict_id = v.id ORDER BY a.id DESC LIMIT 1) AS resolution
         FROM verdicts v ${clause} ORDER BY v.ts DESC, v.id DESC LIMIT ? OFFSET ?`,
    )
    .all(...args, s.pageSize, (s.page - 1) * s.pageSize);
  const items = rows.map((r) => {
    const missing = parseJson<LabelCounts>(r.missing_json, {});
    const extra = parseJson<LabelCounts>(r.extra_json, {});
    return {
      id: r.id,
      trayId: r.tray_id,
      cameraId: r.camera_id,
      orderId: r.order_id,
      link: r.link,
      result: r.result,
      expected: parseJson<LabelCounts>(r.expected_json, {}),
      observed: parseJson<LabelCounts>(r.observed_json, {}),
      missing,
      extra,
      unverifiable: parseJson<string[]>(r.unverifiable_json, []),
      uncertain: parseJson<string[]>(r.uncertain_json, []),
      snapshotId: r.snapshot_id,
      ts: r.ts,
      summary: differenceLines({ missing, extra }, menu).join(' · '),
      alertResolution: r.resolution,
    };
  });
  return { items, total, page: s.page, pageSize: s.pageSize };
}
