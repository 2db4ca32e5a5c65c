// Manager figures for a time range (store/stats-repo.ts) in menu names, with percentiles and the
// local-time days and hours a manager reads.
import type { LabelCount, StatsRepo } from '../../store/stats-repo.js';
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

export function createStatsQueries(repo: StatsRepo, menu: Menu) {
  const named = (list: LabelCount[]) =>
    list.map((m) => ({ label: m.label, name: labelName(m.label, menu), count: m.count }));

  const period = (from: number, to: number) => {
    const c = repo.verdictCounts(from, to);
    const r = repo.resolutions(from, to);
    const lat = repo.latenciesMs(from, to);
    const extra = repo.extras(from, to);
    return {
      from,
      to,
      traysVerified: c.linked,
      verdicts: c.verdicts,
      ok: c.ok,
      mismatches: c.mismatches,
      accuracyRate: c.linked > 0 ? c.ok / c.linked : null,
      errorsCaught: r.caught,
      servedWithError: r.served,
      falseAlarms: r.falseAlarms,
      mostMissed: named(repo.mostMissed(from, to)),
      itemsMissing: repo.itemsMissing(from, to),
      itemsExtra: extra.reduce((sum, e) => sum + e.count, 0),
      mostExtra: named(extra.slice(0, 5)),
      latencyMs: { p50: percentile(lat, 50), p95: percentile(lat, 95), n: lat.length },
    };
  };

  /** Mismatches per local hour of day: when in the day errors happen. */
  const hourly = (from: number, to: number): number[] => {
    const hours = new Array<number>(24).fill(0);
    for (const { ts } of repo.mismatchTimes(from, to)) {
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

export type StatsQueries = ReturnType<typeof createStatsQueries>;
