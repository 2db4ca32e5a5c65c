// The multi-frame vote: per-label mode of the counts seen on a tray's recent frames.
// A single missed or doubled detection does not change the vote; a label whose count
// differs between frames of the window is reported as uncertain (DESIGN.md, tray lifecycle 2).
import type { LabelCounts } from '../types.js';

export interface VoteFrame {
  ts: number;
  seq: number;
  counts: LabelCounts;
  /** Labels with a detection on this tray whose score sat within the uncertain margin of the threshold. */
  nearThreshold: string[];
  /**
   * Per label, one entry per counted detection the detector flagged `uncertain` (two labels
   * competing): its rival label (Detection.rival), null for food not on the menu.
   */
  flagged?: Record<string, (string | null)[]>;
  /** The tray box was not seen on this frame (inferred from its items). */
  inferred?: boolean;
  /** Per label, the scores of its counted detections, best first. */
  scores?: Record<string, number[]>;
  /** Per label, the scores of faint candidates (under the threshold), best first. */
  faint?: Record<string, number[]>;
  /** A "hand" still over the tray for handStillMs on this frame: an item the model misreads. */
  misread?: boolean;
  /** Per label, counted items lying across two stronger ones of their label (straddle.ts). */
  straddled?: LabelCounts;
}

const labelsOf = (frames: readonly VoteFrame[]): string[] => {
  const set = new Set<string>();
  for (const f of frames) for (const [label, n] of Object.entries(f.counts)) if (n > 0) set.add(label);
  return [...set].sort();
};

/**
 * Per-label mode of the counts over `frames` (oldest first). A tie keeps the previous vote
 * when it is among the tied values (hysteresis), otherwise the latest frame's count wins.
 * Zero counts are left out of the result.
 */
export function voteCounts(frames: readonly VoteFrame[], previous: LabelCounts | null): LabelCounts {
  const out: LabelCounts = {};
  const latest = frames[frames.length - 1];
  for (const label of labelsOf(frames)) {
    const tally = new Map<number, number>();
    for (const f of frames) {
      const n = f.counts[label] ?? 0;
      tally.set(n, (tally.get(n) ?? 0) + 1);
    }
    const best = Math.max(...tally.values());
    const tied = [...tally.entries()].filter(([, votes]) => votes === best).map(([n]) => n);
    const prev = previous?.[label] ?? 0;
    const latestN = latest?.counts[label] ?? 0;
    let voted: number;
    if (tied.length === 1) voted = tied[0] ?? 0;
    else if (tied.includes(prev)) voted = prev;
    else if (tied.includes(latestN)) voted = latestN;
    else voted = Math.max(...tied);
    if (voted > 0) out[label] = voted;
  }
  return out;
}

/** Labels whose count is not the same on every frame of the window. */
export function flickeringLabels(frames: readonly VoteFrame[]): string[] {
  return labelsOf(frames).filter((label) => {
    const first = frames[0]?.counts[label] ?? 0;
    return frames.some((f) => (f.counts[label] ?? 0) !== first);
  });
}

/** Flickering labels plus labels seen near the score threshold on any frame of the window. */
export function uncertainLabels(frames: readonly VoteFrame[]): string[] {
  const set = new Set(flickeringLabels(frames));
  for (const f of frames) for (const label of f.nearThreshold) set.add(label);
  return [...set].sort();
}

/** Equal counts, treating a missing key as zero. */
export function sameCounts(a: LabelCounts, b: LabelCounts): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
}
