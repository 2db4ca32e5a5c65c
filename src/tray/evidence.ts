// Which voted counts are clearly supported by the settle window, and which are not (`uncertain`:
// the verifier raises no alert on a difference in such a label, and the verdict is counted as
// uncertain). Per label, over the window's hand-free frames:
// - frame share: the voted count is seen on at least `countShare` of the frames (one odd frame
//   out of six does not make a label uncertain; two do);
// - score mass: the weakest counted item (the n-th best score, 0 on a frame without it) averages
//   at least `countMargin` above the threshold (a phantom among clutter scores ~0.45-0.6 on
//   every frame, most real items 0.8 and more), and the next one (n+1-th) averages below
//   threshold − margin (an item almost counted on most frames);
// - near the threshold (within `margin`) on any frame, the item after the counted ones;
// - the detector's own doubt: at least half of the label's counted detections were flagged
//   `uncertain` (two labels competing for the same object);
// - faint evidence (FrameDetections.faint, under the threshold): the next item seen on at least
//   half the frames and averaging `faintDoubt` may be real (an item half hidden under others);
// - a counted item across two stronger ones of its label on at least half the frames
//   (VoteFrame.straddled, tray.straddleCover) may be a second box on them: fewer.
// Each doubt has a direction: a weak counted item may be a phantom (fewer), an almost-counted next
// one may be real (more); frames with another count doubt towards theirs; a score near the
// threshold after the n counted doubts more (a counted one near it is the score mass's to judge);
// the detector's flag doubts fewer, and when it is the only doubt of a label it is a doubt about
// the name, not the count (`relabel`, read by src/verify/compare.ts). The verifier excuses a
// difference only in a doubted direction: "missing" because the weakest of two sauce cups scored
// 0.64 is no reason to doubt the shortage, and "extra wrap" with a strong wrap and a second one
// near the threshold is an extra whichever way the second one goes.
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
  /**
   * Of the labels doubted fewer, those doubted so only because the detector flagged their items
   * (TrayObservation.relabel): the rival they all share, or null.
   */
  relabel: Record<string, string | null>;
}

interface Way {
  fewer: boolean;
  more: boolean;
}

/**
 * Which way a score within `margin` of the threshold on one frame doubts a count of `n`: an item
 * after the n counted ones (counted on this frame, or faint) may be real, so the count may be
 * higher. A near score among the n counted is left to the score mass (the n-th item's mean over
 * the window, `countMargin`): one frame at 0.48 of a wrap that averages 0.52 is the same evidence
 * as the mean says. Without the frame's scores, or when the near score is not among them, either way.
 */
function nearWay(f: VoteFrame, label: string, n: number, th: number, margin: number): Way {
  if (!f.nearThreshold.includes(label)) return { fewer: false, more: false };
  if (!f.scores) return { fewer: true, more: true };
  const ranked = [...(f.scores[label] ?? []), ...(f.faint?.[label] ?? [])];
  const near = ranked.map((s, i) => ({ s, i })).filter(({ s }) => Math.abs(s - th) < margin);
  if (near.length === 0) return { fewer: true, more: true };
  return { fewer: false, more: near.some(({ i }) => i >= n) };
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
  const out: CountEvidence = { uncertain: [], oneWay: {}, relabel: {} };
  if (frames.length === 0) return out;
  for (const label of labelsOf(frames, voted)) {
    const n = voted[label] ?? 0;
    const th = opts.threshold(label);
    // Which ways the count is doubted, by the flag and by everything else.
    const way = { fewer: false, more: false };
    const doubt = (w: Way): void => {
      way.fewer ||= w.fewer;
      way.more ||= w.more;
    };
    // Frame share: the frames that saw another count say which way it may be off.
    const off = frames.filter((f) => (f.counts[label] ?? 0) !== n);
    if ((frames.length - off.length) / frames.length < opts.countShare)
      doubt({
        fewer: off.some((f) => (f.counts[label] ?? 0) < n),
        more: off.some((f) => (f.counts[label] ?? 0) > n),
      });
    for (const f of frames) doubt(nearWay(f, label, n, th, opts.margin));
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
    // The detector's own doubt (two labels for one object): its items may be something else.
    const seen = frames.reduce((a, f) => a + (f.counts[label] ?? 0), 0);
    const rivals = frames.flatMap((f) => f.flagged?.[label] ?? []);
    doubt({ fewer: weakest, more: nextAlmost });
    const flaggedOnly = seen > 0 && rivals.length * 2 >= seen && !way.fewer;
    if (flaggedOnly) {
      way.fewer = true;
      const distinct = new Set(rivals);
      const [rival] = distinct;
      out.relabel[label] = distinct.size === 1 && rival !== undefined ? rival : null;
    }
    if (!way.fewer && !way.more) continue;
    out.uncertain.push(label);
    if (way.fewer !== way.more) out.oneWay[label] = way.fewer ? 'fewer' : 'more';
  }
  return out;
}
