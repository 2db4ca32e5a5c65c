// Expected vs observed counts: what is missing from the tray and what is on it that should not be.
import type { LabelCounts } from '../types.js';

export interface Difference {
  missing: LabelCounts;
  extra: LabelCounts;
}

export function compare(expected: LabelCounts, observed: LabelCounts): Difference {
  const missing: LabelCounts = {};
  const extra: LabelCounts = {};
  const labels = [...new Set([...Object.keys(expected), ...Object.keys(observed)])].sort();
  for (const label of labels) {
    const d = (observed[label] ?? 0) - (expected[label] ?? 0);
    if (d < 0) missing[label] = -d;
    else if (d > 0) extra[label] = d;
  }
  return { missing, extra };
}

/** Total number of items that differ (missing + extra): the best-match distance. */
export function diffSize(expected: LabelCounts, observed: LabelCounts): number {
  const { missing, extra } = compare(expected, observed);
  let n = 0;
  for (const v of Object.values(missing)) n += v;
  for (const v of Object.values(extra)) n += v;
  return n;
}

export const isEmpty = (c: LabelCounts): boolean => Object.values(c).every((n) => n <= 0);
