// Expected vs observed counts: what is missing from the tray and what is on it that should not be.
// `allowance` (lines with an unknown modifier, see src/menu/expand.ts) may be on the tray or not.
import type { Expansion } from '../menu/index.js';
import type { LabelCounts, TrayObservation } from '../types.js';

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

/** What the count evidence doubts about a tray (TrayObservation's uncertain, countDoubt, relabel). */
export interface Doubt {
  uncertain: readonly string[];
  /** Labels doubted one way only; other uncertain labels are doubted both ways. */
  oneWay?: Readonly<Record<string, 'fewer' | 'more'>>;
  /**
   * Labels doubted downwards only because the detector flagged their items (another label, or
   * food not on the menu): the item is on the tray, its label is what is in doubt.
   */
  relabel?: Readonly<Record<string, string | null>>;
}

/** The observation's count doubt. */
export const doubtOf = (obs: TrayObservation): Doubt => ({
  uncertain: obs.uncertain,
  oneWay: obs.countDoubt ?? {},
  relabel: obs.relabel ?? {},
});

/**
 * Order lines a flagged item the camera cannot name may be: unknown SKUs and items not verified
 * by camera (a line with an unknown modifier is in `allowance` already).
 */
export const spareOf = (e: Pick<Expansion, 'unverifiable'>): number =>
  e.unverifiable.filter((u) => u.reason !== 'unknown-modifier').reduce((a, u) => a + u.qty, 0);

/** A difference and the doubt left to excuse it (`relabelled`). */
export interface Relabelled {
  diff: Difference;
  uncertain: string[];
  oneWay: Record<string, 'fewer' | 'more'>;
}

/**
 * The difference that is left, and the doubt that may still excuse it, once flagged labels are
 * read as the detector's other reading. A flagged item is an item either way: an extra of its
 * label is explained only as a swap with a missing item of its rival label (both leave the
 * difference), or, the rival not a menu label, as one of `unverifiable` order lines the camera
 * cannot name. Otherwise it stays an extra: "Extra: 1 burger" whether it is a burger or a donut.
 */
export function relabelled(d: Difference, doubt: Doubt, unverifiable = 0): Relabelled {
  const missing = { ...d.missing };
  const extra = { ...d.extra };
  let uncertain = [...doubt.uncertain];
  const oneWay = { ...(doubt.oneWay ?? {}) };
  let spare = unverifiable;
  for (const [label, rival] of Object.entries(doubt.relabel ?? {})) {
    // The flag's doubt is not a doubt about the count: only the other ways stay.
    if (oneWay[label] === 'fewer') {
      uncertain = uncertain.filter((l) => l !== label);
      delete oneWay[label];
    } else if (uncertain.includes(label) && !oneWay[label]) oneWay[label] = 'more';
    if ((extra[label] ?? 0) < 1) continue;
    if (rival !== null && (missing[rival] ?? 0) >= 1) {
      missing[rival] = (missing[rival] ?? 0) - 1;
      if (missing[rival] === 0) delete missing[rival];
    } else if (rival === null && spare >= 1) spare -= 1;
    else continue;
    extra[label] = (extra[label] ?? 0) - 1;
    if (extra[label] === 0) delete extra[label];
  }
  return { diff: { missing, extra }, uncertain, oneWay };
}

/**
 * Every difference lies in a label whose count was in doubt that way (missing: maybe more are on
 * the tray; extra: maybe fewer are), and by no more than the doubt covers, once flagged labels
 * are read as their rivals (`relabelled`).
 */
export function withinDoubt(d: Difference, doubt: Doubt, unverifiable = 0): boolean {
  return differenceLeft(relabelled(d, doubt, unverifiable)) === false;
}

/** Some difference is left that no doubt covers. */
export function differenceLeft(r: Relabelled): boolean {
  return (
    Object.entries(r.diff.missing).some(([l, n]) => unexcused(l, n, 'more', r.uncertain, r.oneWay) > 0) ||
    Object.entries(r.diff.extra).some(([l, n]) => unexcused(l, n, 'fewer', r.uncertain, r.oneWay) > 0)
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
