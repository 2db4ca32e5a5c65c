// Manager figures for a time range, read straight from verdicts and alerts.
import type { Db } from '../../store/db.js';
import { labelName, type Menu } from '../present.js';

/** Nearest-rank percentile of ascending `sorted`, null when empty. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** Local midnight `daysAgo` days before the day of `now` (DST-safe: calendar arithmetic). */
export function localMidnight(now: number, daysAgo = 0): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - daysAgo);
  return d.getTime();
}

const localDay = (t: number): string => {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function createStatsQueries(db: Db, menu: Menu) {
  const counts = db.prepare<
    [number, number],
    { verdicts: number; linked: number | null; ok: number | null; mismatches: number | null }
  >(
    `SELECT COUNT(*) AS verdicts,
            SUM(order_id IS NOT NULL AND result != 'unlinked') AS linked,
            SUM(order_id IS NOT NULL AND result = 'ok') AS ok,
            SUM(result = 'mismatch') AS mismatches
       FROM verdicts WHERE ts >= ? AND ts < ?`,
  );
  const resolutions = db.prepare<
    [number, number],
    { caught: number | null; served: number | null; falseAlarms: number | null }
  >(
    `SELECT SUM(resolution = 'corrected') AS caught, SUM(resolution = 'served-with-error') AS served,
            SUM(resolution = 'false-alarm') AS falseAlarms
       FROM alerts WHERE opened_at >= ? AND opened_at < ?`,
  );
  const missed = db.prepare<[number, number], { label: string; count: number }>(
    `SELECT j.key AS label, SUM(j.value) AS count
       FROM verdicts v, json_each(v.missing_json) j
      WHERE v.ts >= ? AND v.ts < ? AND v.result = 'mismatch' AND json_valid(v.missing_json)
      GROUP BY j.key ORDER BY count DESC, label LIMIT 5`,
  );
  const extras = db.prepare<[number, number], { label: string; count: number }>(
    `SELECT j.key AS label, SUM(j.value) AS count
       FROM verdicts v, json_each(v.extra_json) j
      WHERE v.ts >= ? AND v.ts < ? AND v.result = 'mismatch' AND json_valid(v.extra_json)
      GROUP BY j.key ORDER BY count DESC, label`,
  );
  const missingTotal = db.prepare<[number, number], { n: number | null }>(
    `SELECT SUM(j.value) AS n FROM verdicts v, json_each(v.missing_json) j
      WHERE v.ts >= ? AND v.ts < ? AND v.result = 'mismatch' AND json_valid(v.missing_json)`,
  );
  const mismatchTimes = db.prepare<[number, number], { ts: number }>(
    "SELECT ts FROM verdicts WHERE ts >= ? AND ts < ? AND result = 'mismatch'",
  );
  const latencies = db.prepare<[number, number], { ms: number }>(
    'SELECT latency_ms AS ms FROM alerts WHERE opened_at >= ? AND opened_at < ? AND latency_ms IS NOT NULL ORDER BY latency_ms',
  );

  const period = (from: number, to: number) => {
    const c = counts.get(from, to);
    const r = resolutions.get(from, to);
    const linked = c?.linked ?? 0;
    const ok = c?.ok ?? 0;
    const lat = latencies.all(from, to).map((x) => x.ms);
    const extra = extras.all(from, to);
    return {
      from,
      to,
      traysVerified: linked,
      verdicts: c?.verdicts ?? 0,
      ok,
      mismatches: c?.mismatches ?? 0,
      accuracyRate: linked > 0 ? ok / linked : null,
      errorsCaught: r?.caught ?? 0,
      servedWithError: r?.served ?? 0,
      falseAlarms: r?.falseAlarms ?? 0,
      mostMissed: missed
        .all(from, to)
        .map((m) => ({ label: m.label, name: labelName(m.label, menu), count: m.count })),
      itemsMissing: missingTotal.get(from, to)?.n ?? 0,
      itemsExtra: extra.reduce((sum, e) => sum + e.count, 0),
      mostExtra: extra
        .slice(0, 5)
        .map((m) => ({ label: m.label, name: labelName(m.label, menu), count: m.count })),
      latencyMs: { p50: percentile(lat, 50), p95: percentile(lat, 95), n: lat.length },
    };
  };

  /** Mismatches per local hour of day: when in the day errors happen. */
  const hourly = (from: number, to: number): number[] => {
    const hours = new Array<number>(24).fill(0);
    for (const { ts } of mismatchTimes.iterate(from, to)) {
      const h = new Date(ts).getHours();
      hours[h] = (hours[h] ?? 0) + 1;
    }
    return hours;
  };

  return {
    period,
    /** A chosen range with the period of the same length just before it. */
    range(from: number, to: number) {
      return {
        current: period(from, to),
        previous: period(from - (to - from), from),
        hourly: hourly(from, to),
      };
    },
    manager(now: number) {
      const today = localMidnight(now);
      const weekStart = localMidnight(now, 6);
      const daily = [];
      for (let i = 6; i >= 0; i--) {
        const from = localMidnight(now, i);
        const to = i === 0 ? now + 1 : localMidnight(now, i - 1);
        const p = period(from, to);
        daily.push({
          day: localDay(from),
          from,
          traysVerified: p.traysVerified,
          mismatches: p.mismatches,
          errorsCaught: p.errorsCaught,
        });
      }
      return { today: period(today, now + 1), last7Days: period(weekStart, now + 1), daily };
    },
  };
}
