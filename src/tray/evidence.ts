// Which voted counts are clearly supported by the settle window, and which are not (`uncertain`:
// the verifier raises no alert on a difference in such a label, and the verdict is counted as
// uncertain). Per label, over the window's hand-free frames:
// - frame share: the voted count is seen on at least `countShare` of the frames (one odd frame
//   out of six does not make a label uncertain; two do);
// - score mass: the weakest counted item (the n-th best score, 0 on a frame without it) averages
//   at least `countMargin` above the threshold (a phantom among clutter scores ~0.45-0.6 on
//   every frame, most real items 0.8 and more), and the next one (n+1-th) averages below
//   threshold − margin (an item almost counted on most frames);
// - near the threshold on any frame (within `margin`), as the single-frame rule always did;
// - the detector's own doubt: at least half of the label's counted detections were flagged
//   `uncertain` (two labels competing for the same object);
// - faint evidence (FrameDetections.faint, under the threshold): the next item seen on at least
//   half the frames and averaging `faintDoubt` may be real (an item half hidden under others);
// - a counted item across two stronger ones of its label on at least half the frames
//   (VoteFrame.straddled, tray.straddleCover) may be a second box on them: fewer.
// Score mass doubts one way: a weak counted item may be a phantom (fewer), an almost-counted
// next one may be real (more). The verifier excuses a difference only in the doubted direction:
// "missing" because the weakest of two sauce cups scored 0.64 is no reason to doubt the shortage.
import type { LabelCounts } from '../types.js';
import type { VoteFrame } from './vote.js';

export interface EvidenceOptions {
  threshold: (label: string) => number;
  /** Near the threshold: the single-frame rule, and the next item almost counted. */
  margin: number;
  /** The weakest counted item must average this far above the threshold. */
  countMargin: number;
  countShare: number;
  /**
   * The next item (n+1-th), counted or faint, seen on at least half the window's frames and
   * averaging at least this over the window (0 on frames without it) makes a shortage doubtful:
   * an item half hidden under others is seen faintly on most frames (one odd frame is not). 0 = off.
   */
  faintDoubt?: number;
}

const labelsOf = (frames: readonly VoteFrame[], voted: LabelCounts): string[] => {
  const set = new Set(Object.keys(voted));
  for (const f of frames) {
    for (const [label, n] of Object.entries(f.counts)) if (n > 0) set.add(label);
    for (const label of f.nearThreshold) set.add(label);
    for (const [label, list] of Object.entries(f.faint ?? {})) if (list.length) set.add(label);
  }
  return [...set].sort();
};

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** The k-th best score (1-based) of `label` on a frame, 0 when it has fewer detections. */
const kthScore = (f: VoteFrame, label: string, k: number): number => f.scores?.[label]?.[k - 1] ?? 0;

/** As kthScore, the faint candidates ranked after the counted items (they all score lower). */
const kthEvidence = (f: VoteFrame, label: string, k: number): number => {
  const counted = f.scores?.[label] ?? [];
  return k <= counted.length ? (counted[k - 1] ?? 0) : (f.faint?.[label]?.[k - 1 - counted.length] ?? 0);
};

/**
 * Which way a doubted count may be wrong. A weak counted item may be a phantom (the count may be
 * lower), an almost-counted next item may be real (it may be higher); flicker, a score near the
 * threshold and the detector's own doubt go both ways.
 */
export type CountDoubt = 'fewer' | 'more';

export interface CountEvidence {
  /** Labels whose count is not clearly supported (either way). */
  uncertain: string[];
  /** Of those, the ones doubted one way only; the others may be off either way. */
  oneWay: Record<string, CountDoubt>;
}

export function uncertainByEvidence(
  frames: readonly VoteFrame[],
  voted: LabelCounts,
  opts: EvidenceOptions,
): string[] {
  return countEvidence(frames, voted, opts).uncertain;
}

export function countEvidence(
  frames: readonly VoteFrame[],
  voted: LabelCounts,
  opts: EvidenceOptions,
): CountEvidence {
  const out: CountEvidence = { uncertain: [], oneWay: {} };
  if (frames.length === 0) return out;
  for (const label of labelsOf(frames, voted)) {
    const n = voted[label] ?? 0;
    const th = opts.threshold(label);
    const share = frames.filter((f) => (f.counts[label] ?? 0) === n).length / frames.length;
    const near = frames.some((f) => f.nearThreshold.includes(label));
    // A counted item lying across two stronger ones of its label on at least half the frames
    // (straddle.ts) may be a second box on them: the count may be lower, as for a weak item.
    const straddled = frames.filter((f) => (f.straddled?.[label] ?? 0) > 0).length * 2 >= frames.length;
    const weakest =
      n > 0 && (mean(frames.map((f) => kthScore(f, label, n))) < th + opts.countMargin || straddled);
    const nextSeen = frames.map((f) => kthEvidence(f, label, n + 1));
    const faintNext =
      (opts.faintDoubt ?? 0) > 0 &&
      nextSeen.filter((x) => x > 0).length * 2 >= frames.length &&
      mean(nextSeen) >= (opts.faintDoubt as number);
    const nextAlmost = mean(frames.map((f) => kthScore(f, label, n + 1))) > th - opts.margin || faintNext;
    const seen = frames.reduce((a, f) => a + (f.counts[label] ?? 0), 0);
    const flagged = frames.reduce((a, f) => a + (f.flagged?.[label] ?? 0), 0);
    const doubted = seen > 0 && flagged * 2 >= seen;
    const both = share < opts.countShare || near || doubted || (weakest && nextAlmost);
    if (!both && !weakest && !nextAlmost) continue;
    out.uncertain.push(label);
    if (!both) out.oneWay[label] = weakest ? 'fewer' : 'more';
  }
  return out;
}
