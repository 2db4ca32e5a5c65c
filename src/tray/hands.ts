// Hands move. A "hand" that stays in the same place over a tray for handStillMs is an item the
// model misreads (a burger in dim warm light scored hand 0.6 on every frame of a tray's stay, so
// the tray never settled and was never verdicted): the tray is then counted as it is.
import type { Box } from '../types.js';
import { iou } from './geometry.js';

/** Overlap with where the hand was for it to count as not having moved. */
const STILL_IOU = 0.8;
/**
 * A "hand" unseen for up to this long is still the same one when it shows again in the same place:
 * a misread item scoring at the threshold flickers (hand 0.41-0.53 on two frames in three, at the
 * same place, for a whole tray's stay), and forgetting it on each gap kept its tray from settling.
 */
const STILL_GAP_MS = 1000;

export interface StillHand {
  box: Box;
  sinceTs: number;
  /** Last frame it was seen on. */
  seenTs: number;
}

/**
 * The hands over a tray on this frame → the still-hand record to keep, and whether the hand has
 * been still for `stillMs` (0: never).
 */
export function stillHand(
  previous: StillHand | null,
  hands: readonly Box[],
  ts: number,
  stillMs: number,
): { state: StillHand | null; still: boolean } {
  const first = hands[0];
  if (stillMs <= 0) return { state: null, still: false };
  if (!first) {
    const recent = previous && ts - previous.seenTs <= STILL_GAP_MS ? previous : null;
    return { state: recent, still: false };
  }
  const kept = previous && hands.some((h) => iou(h, previous.box) >= STILL_IOU) ? previous : null;
  const state = kept ? { ...kept, seenTs: ts } : { box: first, sinceTs: ts, seenTs: ts };
  return { state, still: ts - state.sinceTs >= stillMs };
}
