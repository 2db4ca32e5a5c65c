// Manager figures for a time range [from, to), read straight from verdicts and alerts. Labels are
// detector labels; src/dashboard/queries/stats.ts turns them into menu names and periods.
import type { Db } from './db.js';

export interface LabelCount {
  label: string;
  count: number;
}

export function createStatsRepo(db: Db) {
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
  const missed = db.prepare<[number, number], LabelCount>(
    `SELECT j.key AS label, SUM(j.value) AS count
       FROM verdicts v, json_each(v.missing_json) j
      WHERE v.ts >= ? AND v.ts < ? AND v.result = 'mismatch' AND json_valid(v.missing_json)
      GROUP BY j.key ORDER BY count DESC, label LIMIT 5`,
  );
  const extras = db.prepare<[number, number], LabelCount>(
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
  return {
    verdictCounts(from: number, to: number) {
      const c = counts.get(from, to);
      return {
        verdicts: c?.verdicts ?? 0,
        linked: c?.linked ?? 0,
        ok: c?.ok ?? 0,
        mismatches: c?.mismatches ?? 0,
      };
    },
    resolutions(from: number, to: number) {
      const r = resolutions.get(from, to);
      return { caught: r?.caught ?? 0, served: r?.served ?? 0, falseAlarms: r?.falseAlarms ?? 0 };
    },
    /** The five most missed labels. */
    mostMissed: (from: number, to: number): LabelCount[] => missed.all(from, to),
    /** Every extra label, most first. */
    extras: (from: number, to: number): LabelCount[] => extras.all(from, to),
    itemsMissing: (from: number, to: number): number => missingTotal.get(from, to)?.n ?? 0,
    mismatchTimes: (from: number, to: number): IterableIterator<{ ts: number }> =>
      mismatchTimes.iterate(from, to),
    /** settle → alert latencies, ascending. */
    latenciesMs: (from: number, to: number): number[] => latencies.all(from, to).map((x) => x.ms),
  };
}

export type StatsRepo = ReturnType<typeof createStatsRepo>;
