// One frame's detections → the trays in the check zone, each with the items whose centre lies
// on it, the labels seen near the score threshold, and whether a hand is over it. Items in the
// zone that no tray box owns may form inferred trays (infer.ts).
import type { Box, Detection, LabelCounts } from '../types.js';
import {
  area,
  bounds,
  centre,
  containsPoint,
  coveredShare,
  distance,
  iou,
  pointInPolygon,
} from './geometry.js';
import { groupItems, neighbours, type InferOptions } from './infer.js';

export interface AssignOptions {
  /** Check zone, 0..1 of the frame. */
  zone: readonly (readonly [number, number])[];
  width: number;
  height: number;
  trayLabel: string;
  handLabel: string;
  /** Fraction of a hand box's area that must lie inside a tray box for the hand to be over it. */
  handOverlap: number;
  threshold: (label: string) => number;
  uncertainMargin: number;
  /** Trays inferred from groups of loose items (default: off). */
  infer?: InferOptions;
  /**
   * A faint candidate is dropped when one counted item on its tray covers at least this share of
   * its box: it is that item's runner-up label or a second box on it (the model names the
   * visible part of a half-hidden item, mostly clear of the items on top). 1: keep them all.
   */
  faintMaxCover?: number;
  /**
   * The trays of the previous frame with their items. An item where two tray boxes overlap stays
   * on the tray that held it (a tray put down beside another must not take its neighbour's sauce
   * cup); without a holder the smallest box owns it.
   */
  held?: readonly HeldTray[];
}

export interface HeldTray {
  box: Box;
  /** Items counted on it (tray detection excluded or not: only item labels are matched). */
  items: readonly Detection[];
  /** It had no tray box (inferred from its items). */
  inferred?: boolean;
}

export interface FrameTray {
  box: Box;
  /** The tray detection itself (none when inferred) followed by the items counted on it. */
  detections: Detection[];
  counts: LabelCounts;
  /**
   * Per label, one entry per counted detection the detector flagged `uncertain`: its rival label
   * (Detection.rival), null for food not on the menu.
   */
  flagged: Record<string, (string | null)[]>;
  nearThreshold: string[];
  handOver: boolean;
  /** The boxes of the hands over it. */
  hands: Box[];
  /** No tray box: a group of items in the zone. */
  inferred: boolean;
  /** Per label, the scores of the faint candidates on it (under the threshold), best first. */
  faint: Record<string, number[]>;
}

/** Share of a group of loose items' bounds on a tray box for the group to belong to that tray. */
const ATTACH_SHARE = 0.2;
/**
 * ... and on where a tray without a box stood on the previous frame (its bounds are its items',
 * not the tray's: a second tray put down against it overlaps them by a fifth or more).
 */
const STOOD_SHARE = 0.5;
/** An item is the one a tray held on the previous frame (same label) from this IoU up... */
const HELD_ITEM_IOU = 0.5;
/** ... and a tray box is that tray's from this IoU up. */
const HELD_TRAY_IOU = 0.5;

export function assignFrame(
  detections: readonly Detection[],
  opts: AssignOptions,
  faint: readonly Detection[] = [],
): FrameTray[] {
  const near = (d: Detection): boolean => Math.abs(d.score - opts.threshold(d.label)) < opts.uncertainMargin;
  const counted = (d: Detection): boolean => d.score >= opts.threshold(d.label);
  const inZone = (b: Box): boolean => {
    const [x, y] = centre(b);
    return opts.width > 0 && opts.height > 0 && pointInPolygon([x / opts.width, y / opts.height], opts.zone);
  };

  const trays: FrameTray[] = detections
    .filter((d) => d.label === opts.trayLabel && counted(d) && inZone(d.box))
    .map((d) => emptyTray(d.box, false, [d]));
  const countOn = (tray: FrameTray, d: Detection): void => {
    tray.counts[d.label] = (tray.counts[d.label] ?? 0) + 1;
    if (d.uncertain) (tray.flagged[d.label] ??= []).push(d.rival ?? null);
    tray.detections.push(d);
  };

  const ownerOf = (d: Detection): FrameTray | undefined => {
    const p = centre(d.box);
    const inside = trays.filter((t) => containsPoint(t.box, p));
    if (inside.length > 1 && opts.held) {
      const holder = opts.held.find((h) => held(h, d));
      const kept = holder && bestFrom(inside, (t) => iou(t.box, holder.box), HELD_TRAY_IOU);
      if (kept) return kept;
    }
    return owner(inside, p);
  };

  const loose: Detection[] = [];
  const hands: Detection[] = [];
  for (const d of detections) {
    if (d.label === opts.trayLabel) continue;
    if (d.label === opts.handLabel) {
      if (counted(d)) hands.push(d);
      continue;
    }
    const isCounted = counted(d);
    const isNear = near(d);
    if (!isCounted && !isNear) continue;
    const tray = ownerOf(d);
    if (!tray) {
      // Items outside every tray box count only if they group into an inferred tray.
      if (isCounted && inZone(d.box)) loose.push(d);
      continue;
    }
    if (isCounted) countOn(tray, d);
    if (isNear && !tray.nearThreshold.includes(d.label)) tray.nearThreshold.push(d.label);
  }
  if (opts.infer && loose.length > 0) {
    const joinFactor = opts.infer.joinFactor;
    const minItems = opts.infer.minItems;
    const detected = [...trays];
    // A tray of the previous frame that has no tray box now keeps the loose items it held: a
    // crowded tray put down beside another, both tray boxes hidden, is a tray of its own, not part
    // of the first; and a tray whose box is no longer found (a hand passed over it) stays one tray,
    // not its items regrouped by proximity (two clusters at either end of it made two trays).
    const seeded: FrameTray[] = [];
    /** Where each seeded tray stood on the previous frame. */
    const stood = new Map<FrameTray, Box>();
    let rest: Detection[] = loose;
    for (const h of opts.held ?? []) {
      const boxed = bestFrom(detected, (t) => iou(t.box, h.box), HELD_TRAY_IOU);
      if (!h.inferred && boxed) continue;
      const mine = rest.filter((d) => held(h, d));
      if (mine.length === 0) continue;
      rest = rest.filter((d) => !mine.includes(d));
      if (boxed) {
        // A tray without a box whose box is found again where it stood: the items it held that
        // lie over the box's edge are still its own, not a tray of their own (hard seed 13
        // T1011: a drink half over the top edge of a crowded tray became a one-item tray, and
        // "Missing: 1 drink" on a correct one).
        for (const d of mine) countOn(boxed, d);
        continue;
      }
      const tray = emptyTray(bounds(mine.map((d) => d.box)), true);
      for (const d of mine) countOn(tray, d);
      seeded.push(tray);
      stood.set(tray, h.box);
      trays.push(tray);
    }
    // An item back in view lying where one tray without a box stood on the previous frame is that
    // tray's, whatever it is near now: trays do not overlap. Taken item by item before grouping:
    // hard seed 22 T1070, two crowded trays side by side, a hand over each: two items of one and
    // three of the other came back on the same frame as one group spanning both, and the group
    // went whole to the tray where most of it had stood ("Missing: 1 sauce" on a correct tray).
    rest = rest.filter((d) => {
      const p = centre(d.box);
      const under = seeded.filter((t) => containsPoint(stood.get(t) ?? t.box, p));
      if (under.length !== 1) return true;
      const tray = under[0] as FrameTray;
      countOn(tray, d);
      tray.box = bounds([tray.box, d.box]);
      return false;
    });
    for (const group of groupItems(rest, joinFactor)) {
      const members = group.members.map((i) => rest[i]).filter((d): d is Detection => Boolean(d));
      // Trays do not overlap: items whose group lies partly on a tray box are on that tray, whose
      // box came out too small (its edge hidden under them), not on a tray of their own.
      let host = bestFrom(detected, (t) => coveredShare(group.box, t.box), ATTACH_SHARE);
      // Items lying mostly where a tray without a box stood on the previous frame are that tray's,
      // back in view (from under a hand): trays do not overlap. Hard seed 13 T1027: three items
      // back from under a hand made a new tray, and "Missing" all three on a correct one.
      host ??= bestFrom(seeded, (t) => coveredShare(group.box, stood.get(t) ?? t.box), STOOD_SHARE);
      // Fewer than minItems new items beside an inferred tray were put on it (a tray being
      // assembled); a tray arrives with its items, so minItems or more at once are a new tray.
      if (!host && members.length < minItems) host = nearestSeeded(seeded, members, group.box, joinFactor);
      if (host) {
        for (const d of members) countOn(host, d);
        host.box = bounds([host.box, group.box]);
        continue;
      }
      if (minItems <= 0 || members.length < minItems) continue;
      const tray = emptyTray(group.box, true);
      for (const d of members) countOn(tray, d);
      trays.push(tray);
    }
  }
  for (const h of hands) {
    for (const t of trays) {
      if (coveredShare(h.box, t.box) > opts.handOverlap) {
        t.handOver = true;
        t.hands.push(h.box);
      }
    }
  }
  const maxCover = opts.faintMaxCover ?? 1;
  for (const d of faint) {
    if (d.label === opts.trayLabel || d.label === opts.handLabel) continue;
    const tray = ownerOf(d);
    if (!tray) continue;
    if (
      maxCover < 1 &&
      tray.detections.some((c) => c.label !== opts.trayLabel && coveredShare(d.box, c.box) >= maxCover)
    )
      continue;
    (tray.faint[d.label] ??= []).push(d.score);
  }
  for (const t of trays) {
    t.nearThreshold.sort();
    for (const list of Object.values(t.faint)) list.sort((a, b) => b - a);
  }
  return trays;
}

/** A tray with nothing counted on it yet (`detections`: its own tray detection, if any). */
function emptyTray(box: Box, inferred: boolean, detections: Detection[] = []): FrameTray {
  return {
    box,
    detections,
    counts: {},
    flagged: {},
    nearThreshold: [],
    handOver: false,
    hands: [],
    inferred,
    faint: {},
  };
}

/** The item `d` is one that tray `h` held on the previous frame (same label, IoU >= HELD_ITEM_IOU). */
const held = (h: HeldTray, d: Detection): boolean =>
  h.items.some((i) => i.label === d.label && iou(i.box, d.box) >= HELD_ITEM_IOU);

/** The tray scoring highest by `score`, if any scores at least `min` (ties: the later one). */
function bestFrom(
  trays: readonly FrameTray[],
  score: (t: FrameTray) => number,
  min: number,
): FrameTray | undefined {
  let best: FrameTray | undefined;
  let top = min;
  for (const t of trays) {
    const v = score(t);
    if (v >= top) {
      top = v;
      best = t;
    }
  }
  return best;
}

/**
 * The inferred tray a few new items were put on: the one whose box holds most of them, else the
 * nearest one with an item within reach (two crowded trays side by side: an item reappearing
 * from under a hand goes back to its own tray, not to the first in the list).
 */
function nearestSeeded(
  seeded: readonly FrameTray[],
  members: readonly Detection[],
  box: Box,
  joinFactor: number,
): FrameTray | undefined {
  let best: FrameTray | undefined;
  let bestShare = 0;
  let bestDist = Infinity;
  for (const t of seeded) {
    const reach = members.flatMap((m) =>
      t.detections
        .filter((i) => neighbours(m, i, joinFactor))
        .map((i) => distance(centre(m.box), centre(i.box))),
    );
    if (reach.length === 0) continue;
    const share = coveredShare(box, t.box);
    const dist = Math.min(...reach);
    if (share > bestShare || (share === bestShare && dist < bestDist)) {
      best = t;
      bestShare = share;
      bestDist = dist;
    }
  }
  return best;
}

/** The tray whose box contains the point; where boxes overlap, the smallest, then the nearest centre. */
function owner(trays: FrameTray[], p: [number, number]): FrameTray | undefined {
  let best: FrameTray | undefined;
  for (const t of trays) {
    if (!containsPoint(t.box, p)) continue;
    if (
      !best ||
      area(t.box) < area(best.box) ||
      (area(t.box) === area(best.box) && distance(centre(t.box), p) < distance(centre(best.box), p))
    ) {
      best = t;
    }
  }
  return best;
}
