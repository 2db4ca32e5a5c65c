// Expected vs observed counts: what is missing from the tray and what is on it that should not be.
// `allowance` (lines with an unknown modifier, see src/menu/expand.ts) may be on the tray or not.
import type { LabelCounts } from '../types.js';

export interface Difference {
  missing: LabelCounts;
  extra: LabelCounts;
}

export function compare(
  expected: LabelCounts,
  observed: LabelCounts,
  allowance: LabelCounts = {},
): Difference {
  const missing: LabelCounts = {};
  const extra: LabelCounts = {};
  const labels = [...new Set([...Object.keys(expected), ...Object.keys(observed)])].sort();
  for (const label of labels) {
    const have = observed[label] ?? 0;
    const want = expected[label] ?? 0;
    if (have < want) missing[label] = want - have;
    else if (have > want + (allowance[label] ?? 0)) extra[label] = have - want - (allowance[label] ?? 0);
  }
  return { missing, extra };
}

/** Total number of items that differ (missing + extra): the best-match distance. */
export function diffSize(expected: LabelCounts, observed: LabelCounts, allowance: LabelCounts = {}): number {
  const { missing, extra } = compare(expected, observed, allowance);
  let n = 0;
  for (const v of Object.values(missing)) n += v;
  for (const v of Object.values(extra)) n += v;
  return n;
}

export const isEmpty = (c: LabelCounts): boolean => Object.values(c).every((n) => n <= 0);

/**
 * Every difference lies in a label whose count was in doubt that way (missing: maybe more are on
 * the tray; extra: maybe fewer are), and by no more than the doubt covers. `oneWay` names the
 * labels doubted one way only; other uncertain labels are doubted both ways.
 */
export function withinDoubt(
  d: Difference,
  uncertain: readonly string[],
  oneWay: Readonly<Record<string, 'fewer' | 'more'>> = {},
): boolean {
  return (
    Object.entries(d.missing).every(([l, n]) => unexcused(l, n, 'more', uncertain, oneWay) === 0) &&
    Object.entries(d.extra).every(([l, n]) => unexcused(l, n, 'fewer', uncertain, oneWay) === 0)
  );
}

/**
 * Items one doubt covers. The count evidence doubts one item of a label (its weakest counted item
 * may be a phantom, the next one almost counted may be real, the count flickers by one), so "2
 * fries too many" with one weak fries box is still one fries too many.
 */
const DOUBT_COVERS = 1;

/** The count of `label` was in doubt `way` ('more': maybe more are on the tray; 'fewer': maybe fewer). */
function excused(
  label: string,
  way: 'fewer' | 'more',
  uncertain: readonly string[],
  oneWay: Readonly<Record<string, 'fewer' | 'more'>> = {},
): boolean {
  return uncertain.includes(label) && (oneWay[label] ?? way) === way;
}

/** Of a difference of `n` items of `label` (`way`: the direction that would explain it), how many no doubt covers. */
export function unexcused(
  label: string,
  n: number,
  way: 'fewer' | 'more',
  uncertain: readonly string[],
  oneWay: Readonly<Record<string, 'fewer' | 'more'>> = {},
): number {
  return excused(label, way, uncertain, oneWay) ? Math.max(0, n - DOUBT_COVERS) : n;
}
