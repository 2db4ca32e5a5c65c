// Tray tracking for one camera: pure state machine fed with FrameDetections (time comes from
// the frames, never from a clock). A tray is `settled` once its voted counts have been unchanged
// for settleWindowMs and at least settleMinFrames hand-free frames; every later new stable
// content is reported once as `changed`; a tray unseen for departAfterMs has `departed`.
// Empty trays settle like any other (the verifier decides what an empty tray means).
import type { TrayConfig } from '../config/schema.js';
import type { Box, Detection, FrameDetections, LabelCounts, TrayObservation } from '../types.js';
import { assignFrame, type FrameTray } from './assign.js';
import { stillHand, type StillHand } from './hands.js';
import { sameLayout, type LayoutFrame } from './layout.js';
import { straddledCounts } from './straddle.js';
import { matchBoxes } from './match.js';
import { countEvidence, type CountEvidence } from './evidence.js';
import { sameCounts, voteCounts, type VoteFrame } from './vote.js';

export interface TrayTrackerOptions {
  cameraId: string;
  station: string | null;
  /** Check zone polygon, 0..1 of the frame. */
  zone: readonly (readonly [number, number])[];
  config: TrayConfig;
  /** The detector's score threshold, global or per label. */
  scoreThreshold: number | ((label: string) => number);
  /** Number of the first tray id (`<cameraId>-<n>`); pass one past the last stored id after a restart. */
  firstTrayNumber?: number;
  /**
   * A tray back at its spot after a gap, with the same contents laid out the same way: was another
   * order that these contents fit bumped ready at this station since the tray was last reported?
   * Then it is that order's tray (the kitchen bumps the next order once the last tray was taken),
   * not the old one put back. Absent: the layout alone decides.
   */
  successorBumped?: (q: SuccessorQuery) => boolean;
}

export interface SuccessorQuery {
  trayId: string;
  station: string | null;
  /** When the tray was last reported (camera time; the verifier orders bumps by the KDS, not by time). */
  sinceTs: number;
  items: LabelCounts;
}

/** What the live view shows about a tray in view. */
export interface TrayState {
  id: string;
  cameraId: string;
  box: Box;
  /** Counts on the latest frame the tray was seen on. */
  counts: LabelCounts;
  /** Current vote over the settle window. */
  votedCounts: LabelCounts;
  /** true while the current vote is settled. */
  settled: boolean;
  /** Last reported (settled or changed) contents; null before the first settle. */
  settledCounts: LabelCounts | null;
  uncertain: string[];
  handOver: boolean;
  firstSeenTs: number;
  lastSeenTs: number;
}

export interface TrayTracker {
  /** Feed one frame's detections; returns the observations it caused (departed first, then by tray id). */
  update(fd: FrameDetections): TrayObservation[];
  /** Depart trays unseen since `ts - departAfterMs` without a frame (camera went offline). */
  expire(ts: number): TrayObservation[];
  trays(): TrayState[];
}

interface Track {
  id: string;
  n: number;
  box: Box;
  firstSeenTs: number;
  lastSeenTs: number;
  last: FrameTray;
  /** Hand-free frames inside the settle window, oldest first. */
  window: VoteFrame[];
  handOver: boolean;
  /** A hand over the tray that has not moved since `sinceTs` (hands.ts). */
  stillHand: StillHand | null;
  candidate: LabelCounts | null;
  candidateSinceTs: number;
  candidateFrames: number;
  settled: boolean;
  reported: LabelCounts | null;
  /** Items and tray box at the last report: a tray back after a gap with another layout is another tray. */
  reportedLayout: LayoutFrame;
  reportedTs: number;
  /** Consecutive frames this tray was not seen on. */
  missed: number;
  /** Back after a gap of swapMissedFrames: a different tray if it settles with other contents. */
  returned: boolean;
  /** ... and the camera saw the spot without it during the gap (not a camera outage). */
  seenGone: boolean;
  /** A moving hand was over the tray since its last report: items may have been taken. */
  handSinceReport: boolean;
  /** Since when items have been missing from the report while hands were only elsewhere (or null). */
  hiddenSinceTs: number | null;
}

export function createTrayTracker(opts: TrayTrackerOptions): TrayTracker {
  const cfg = opts.config;
  const fixed = opts.scoreThreshold;
  const threshold = typeof fixed === 'function' ? fixed : () => fixed;
  const tracks = new Map<string, Track>();
  let nextNumber = opts.firstTrayNumber ?? 1;
  let lastTs = -Infinity;

  const evidenceOf = (t: Track): CountEvidence =>
    countEvidence(t.window, t.candidate ?? {}, {
      threshold,
      margin: cfg.uncertainMargin,
      countMargin: cfg.countMargin,
      countShare: cfg.countShare,
      faintDoubt: cfg.faintDoubt,
    });
  const uncertainOf = (t: Track): string[] => evidenceOf(t).uncertain;
  /** A tray's detections other than its own tray box: its items. */
  const itemsOf = (ft: FrameTray): Detection[] => ft.detections.filter((d) => d.label !== cfg.trayLabel);
  const layoutOf = (ft: FrameTray): LayoutFrame => ({
    items: itemsOf(ft),
    box: [...ft.box],
    inferred: ft.inferred,
  });
  /** Scores of the counted items per label, best first. */
  const scoresOf = (ft: FrameTray): Record<string, number[]> => {
    const out: Record<string, number[]> = {};
    for (const d of itemsOf(ft)) (out[d.label] ??= []).push(d.score);
    for (const list of Object.values(out)) list.sort((a, b) => b - a);
    return out;
  };

  const doubtOf = (e: CountEvidence | null): Pick<TrayObservation, 'uncertain' | 'countDoubt' | 'relabel'> =>
    !e
      ? { uncertain: [] }
      : {
          uncertain: e.uncertain,
          ...(Object.keys(e.oneWay).length > 0 ? { countDoubt: e.oneWay } : {}),
          ...(Object.keys(e.relabel).length > 0 ? { relabel: e.relabel } : {}),
        };

  const byNumber = (): Track[] => [...tracks.values()].sort((a, b) => a.n - b.n);

  const observation = (
    t: Track,
    phase: TrayObservation['phase'],
    ts: number,
    seq?: number,
  ): TrayObservation => ({
    cameraId: opts.cameraId,
    trayId: t.id,
    station: opts.station,
    phase,
    items: { ...(phase === 'departed' ? (t.reported ?? {}) : (t.candidate ?? {})) },
    ...doubtOf(phase === 'departed' ? null : evidenceOf(t)),
    ...(t.window.length > 0 && t.window.every((f) => f.inferred) ? { inferred: true } : {}),
    // A still "hand" on most of the window's frames: one item the model cannot name.
    ...(phase !== 'departed' &&
    t.window.filter((f) => f.misread).length * 2 >= t.window.length &&
    t.window.length > 0
      ? { unidentified: 1 }
      : {}),
    ts,
    settledSinceTs: phase === 'departed' ? undefined : t.candidateSinceTs,
    box: [...t.box],
    detections: t.last.detections.map((d) => ({ ...d, box: [...d.box] })),
    frameSeq: seq,
  });

  const departures = (ts: number, seq: number | undefined, seen: ReadonlySet<Track>): TrayObservation[] => {
    const out: TrayObservation[] = [];
    for (const t of byNumber()) {
      if (seen.has(t) || ts - t.lastSeenTs < cfg.departAfterMs) continue;
      tracks.delete(t.id);
      // A tray that never settled (a passing false detection, a tray carried through) is dropped silently.
      if (t.reported) out.push(observation(t, 'departed', ts, seq));
    }
    return out;
  };

  const restartVote = (t: Track): void => {
    t.window = [];
    t.candidate = null;
    t.settled = false;
  };

  /**
   * Fewer of some item than last reported, no hand over the tray since, the tray seen all along,
   * and a hand over the counter elsewhere: an arm reaching across to another tray hides items (items leave a tray in
   * a hand over it). Such frames are left out of the vote for up to `hiddenHoldMs`.
   */
  const hiddenByArm = (t: Track, ft: FrameTray, handsElsewhere: boolean): boolean =>
    handsElsewhere &&
    t.reported !== null &&
    // Back after a gap, the whole tray was away (maybe the next one is there now): nothing to hold.
    !t.returned &&
    !t.handSinceReport &&
    Object.entries(t.reported).some(([label, n]) => (ft.counts[label] ?? 0) < n);

  const step = (t: Track, ft: FrameTray, ts: number, seq: number, handsInView: number): TrayObservation[] => {
    if (t.missed >= cfg.swapMissedFrames) {
      // Gone for a while and back at the same spot: maybe the next tray put down in its place.
      restartVote(t);
      t.returned = t.reported !== null;
      t.seenGone = t.returned;
    }
    t.missed = 0;
    t.box = ft.box;
    t.last = ft;
    t.lastSeenTs = ts;
    const hand = stillHand(t.stillHand, ft.handOver ? ft.hands : [], ts, cfg.handStillMs);
    t.stillHand = hand.state;
    t.handOver = ft.handOver && !hand.still;
    if (t.handOver) {
      // Hands add and take items and hide what is under them: start the vote afresh once they leave.
      t.handSinceReport = true;
      t.hiddenSinceTs = null;
      restartVote(t);
      return [];
    }
    if (hiddenByArm(t, ft, handsInView > ft.hands.length)) {
      t.hiddenSinceTs ??= ts;
      if (ts - t.hiddenSinceTs < cfg.hiddenHoldMs) return [];
    } else {
      t.hiddenSinceTs = null;
    }
    t.window.push({
      ts,
      seq,
      counts: ft.counts,
      nearThreshold: ft.nearThreshold,
      flagged: ft.flagged,
      inferred: ft.inferred,
      scores: scoresOf(ft),
      faint: ft.faint,
      straddled: straddledCounts(itemsOf(ft), cfg.straddleCover),
      ...(ft.handOver && hand.still ? { misread: true } : {}),
    });
    t.window = t.window.filter((f) => f.ts >= ts - cfg.settleWindowMs);
    const voted = voteCounts(t.window, t.candidate);
    if (!t.candidate || !sameCounts(voted, t.candidate)) {
      t.candidate = voted;
      t.candidateSinceTs = ts;
      t.candidateFrames = 1;
      t.settled = false;
    } else {
      t.candidateFrames += 1;
    }
    if (t.settled || ts - t.candidateSinceTs < cfg.settleWindowMs || t.candidateFrames < cfg.settleMinFrames)
      return [];
    t.settled = true;
    const out: TrayObservation[] = [];
    if (
      t.returned &&
      t.reported &&
      (!sameCounts(t.reported, t.candidate) ||
        !sameLayout(t.reportedLayout, layoutOf(ft), cfg.sameSpotLayoutShift) ||
        (t.seenGone &&
          opts.successorBumped?.({
            trayId: t.id,
            station: opts.station,
            sinceTs: t.reportedTs,
            items: { ...t.candidate },
          }) === true))
    ) {
      // Different contents, the same contents laid out differently, or the same tray look while the
      // next order it fits was bumped: the old tray was served and this is a new one (the next
      // identical order put on the same spot).
      out.push(observation(t, 'departed', ts, seq));
      tracks.delete(t.id);
      t.n = nextNumber++;
      t.id = `${opts.cameraId}-${t.n}`;
      t.firstSeenTs = t.candidateSinceTs;
      t.reported = null;
      tracks.set(t.id, t);
    }
    t.returned = false;
    t.seenGone = false;
    const report = (): void => {
      t.reported = { ...(t.candidate ?? {}) };
      t.handSinceReport = false;
      t.reportedLayout = layoutOf(ft);
    };
    if (!t.reported) {
      report();
      t.reportedTs = ts;
      out.push(observation(t, 'settled', ts, seq));
    } else if (!sameCounts(t.reported, t.candidate)) {
      report();
      t.reportedTs = ts;
      out.push(observation(t, 'changed', ts, seq));
    } else {
      // Same contents settled again (after a hand, a gap): keep the layout current.
      report();
    }
    return out;
  };

  return {
    update(fd) {
      if (fd.cameraId !== opts.cameraId || fd.ts < lastTs) return [];
      if (fd.ts - lastTs > cfg.departAfterMs) {
        // No frame at all for a while: the camera was out, not the trays. What was settled before
        // is stale: every tray votes afresh (a new verdict only if its contents changed, or a new
        // tray if another one took its place), and one not seen again departs departAfterMs after
        // the camera is back.
        for (const t of tracks.values()) {
          restartVote(t);
          t.returned = t.reported !== null;
          t.lastSeenTs = fd.ts;
        }
      }
      lastTs = fd.ts;
      const frameTrays = assignFrame(
        fd.detections,
        {
          zone: opts.zone,
          width: fd.width,
          height: fd.height,
          trayLabel: cfg.trayLabel,
          handLabel: cfg.handLabel,
          handOverlap: cfg.handOverlap,
          threshold,
          uncertainMargin: cfg.uncertainMargin,
          infer: { minItems: cfg.inferMinItems, joinFactor: cfg.inferJoinFactor },
          faintMaxCover: cfg.faintMaxCover,
          held: [...tracks.values()]
            .filter((t) => t.missed === 0)
            .map((t) => ({ box: t.last.box, items: t.last.detections, inferred: t.last.inferred })),
        },
        fd.faint,
      );
      const ordered = byNumber();
      const { pairs, unmatched } = matchBoxes(
        ordered.map((t) => t.box),
        frameTrays.map((f) => f.box),
        { minIou: cfg.matchIou, maxCentreDist: cfg.matchCentreDist },
      );
      const seen = new Set<Track>();
      const settledNow: TrayObservation[] = [];
      const assigned: [Track, FrameTray][] = [];
      for (const [p, c] of pairs) {
        const t = ordered[p];
        const ft = frameTrays[c];
        if (t && ft) assigned.push([t, ft]);
      }
      for (const c of unmatched) {
        const ft = frameTrays[c];
        if (!ft) continue;
        const n = nextNumber++;
        const t: Track = {
          id: `${opts.cameraId}-${n}`,
          n,
          box: ft.box,
          firstSeenTs: fd.ts,
          lastSeenTs: fd.ts,
          last: ft,
          window: [],
          handOver: false,
          stillHand: null,
          candidate: null,
          candidateSinceTs: fd.ts,
          candidateFrames: 0,
          settled: false,
          reported: null,
          reportedLayout: { items: [], box: ft.box, inferred: ft.inferred },
          reportedTs: fd.ts,
          missed: 0,
          returned: false,
          seenGone: false,
          handSinceReport: false,
          hiddenSinceTs: null,
        };
        tracks.set(t.id, t);
        assigned.push([t, ft]);
      }
      assigned.sort((a, b) => a[0].n - b[0].n);
      const handsInView = fd.detections.filter(
        (d) => d.label === cfg.handLabel && d.score >= threshold(d.label),
      ).length;
      for (const [t, ft] of assigned) {
        seen.add(t);
        settledNow.push(...step(t, ft, fd.ts, fd.seq, handsInView));
      }
      for (const t of tracks.values()) if (!seen.has(t)) t.missed += 1;
      return [...departures(fd.ts, fd.seq, seen), ...settledNow];
    },
    expire(ts) {
      if (ts < lastTs) return [];
      return departures(ts, undefined, new Set());
    },
    trays() {
      return byNumber().map((t) => ({
        id: t.id,
        cameraId: opts.cameraId,
        box: [...t.box],
        counts: { ...t.last.counts },
        votedCounts: { ...(t.candidate ?? {}) },
        settled: t.settled,
        settledCounts: t.reported ? { ...t.reported } : null,
        uncertain: uncertainOf(t),
        handOver: t.handOver,
        firstSeenTs: t.firstSeenTs,
        lastSeenTs: t.lastSeenTs,
      }));
    },
  };
}
