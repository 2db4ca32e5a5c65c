// One verdict as evidence: expected vs seen in menu names, the detections it was judged on with
// their scores and uncertain flags, how the tray was linked to its order, the alert and who
// acknowledged it when, the model that decided; and the CSV export of a search.
import type { HistoryRepo, VerdictSearch } from '../../store/history-repo.js';
import type { LabelCounts } from '../../types.js';
import { labelName, type Menu } from '../present.js';
import type { AlertOrders } from './alert-order.js';
import { parseJson } from './json.js';

/** A stored detection (store/observations-repo.ts writes them compact). */
interface StoredDetection {
  label: string;
  score: number;
  uncertain?: boolean;
  box: number[];
}

/** Every label that was expected or seen: how many of each, in menu names. */
function counts(expected: LabelCounts, observed: LabelCounts, menu: Menu) {
  const labels = [...new Set([...Object.keys(expected), ...Object.keys(observed)])].sort();
  return labels.map((label) => ({
    label,
    name: labelName(label, menu),
    expected: expected[label] ?? 0,
    seen: observed[label] ?? 0,
  }));
}

export function verdictDetail(repo: HistoryRepo, menu: Menu, orders: AlertOrders, id: number) {
  const v = repo.verdict(id);
  if (!v) return null;
  const missing = parseJson<LabelCounts>(v.missing_json, {});
  const extra = parseJson<LabelCounts>(v.extra_json, {});
  const uncertain = parseJson<string[]>(v.uncertain_json, []);
  const alerts = repo.alertsOf(id).map((a) => ({
    id: a.id,
    status: a.status,
    resolution: a.resolution,
    openedAt: a.opened_at,
    acknowledgedAt: a.acknowledged_at,
    acknowledgedBy: a.acknowledged_by,
    resolvedAt: a.resolved_at,
    latencyMs: a.latency_ms,
    dismissedAt: a.dismissed_at,
    dismissedBy: a.dismissed_by,
  }));
  // Items first, best score first; the tray boxes last (they are not what was counted).
  const detections = parseJson<StoredDetection[] | null>(repo.detectionsJson(v), null)
    ?.map((d) => ({
      label: d.label,
      name: d.label === 'tray' ? 'Tray' : labelName(d.label, menu),
      score: d.score,
      uncertain: d.uncertain === true || uncertain.includes(d.label),
      box: d.box,
    }))
    .sort((a, b) => Number(a.label === 'tray') - Number(b.label === 'tray') || b.score - a.score);
  return {
    id: v.id,
    ts: v.ts,
    settledTs: v.settled_ts,
    trayId: v.tray_id,
    cameraId: v.camera_id,
    orderId: v.order_id,
    orderVersion: v.order_version,
    link: v.link,
    result: v.result,
    counts: counts(parseJson(v.expected_json, {}), parseJson(v.observed_json, {}), menu),
    uncertain: uncertain.map((l) => labelName(l, menu)),
    unverifiable: parseJson<string[]>(v.unverifiable_json, []),
    detections: detections ?? null,
    order: orders.checklist(v.order_id, missing, extra),
    modelSha256: v.model_sha256,
    snapshotId: v.snapshot_id,
    alerts,
  };
}

export const CSV_MAX_ROWS = 10_000;

/** A cell a spreadsheet will not run as a formula, quoted when it must be. */
function cell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const listOf = (c: LabelCounts, menu: Menu): string =>
  Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([l, n]) => `${n} x ${labelName(l, menu)}`)
    .join('; ');

export function verdictsCsv(repo: HistoryRepo, menu: Menu, s: VerdictSearch): string {
  const rows = repo.csvRows(s, CSV_MAX_ROWS);
  const head = [
    'time',
    'order',
    'camera',
    'tray',
    'result',
    'link',
    'missing',
    'extra',
    'alert',
    'resolution',
    'acknowledged_by',
    'acknowledged_at',
    'snapshot',
  ];
  const lines = rows.map((r) =>
    [
      new Date(r.ts).toISOString(),
      r.order_id,
      r.camera_id,
      r.tray_id,
      r.result,
      r.link,
      listOf(parseJson(r.missing_json, {}), menu),
      listOf(parseJson(r.extra_json, {}), menu),
      r.alert_id,
      r.resolution,
      r.acknowledged_by,
      r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
      r.snapshot_id,
    ]
      .map(cell)
      .join(','),
  );
  return `${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
