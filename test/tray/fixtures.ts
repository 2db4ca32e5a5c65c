// Builders for tray-tracker tests: frames of detections on a 640x360 camera.
import { Value } from '@sinclair/typebox/value';
import type { TrayConfig } from '../../src/config/schema.js';
import { TraySection } from '../../src/config/sections/tray.js';
import { createTrayTracker, type SuccessorQuery, type TrayTracker } from '../../src/tray/index.js';
import type { Box, Detection, FrameDetections, TrayObservation, Verdict } from '../../src/types.js';
import { createVerifier } from '../../src/verify/verifier.js';
import { MENU, NOW, order } from '../verify/fixtures.js';

export const W = 640;
export const H = 360;
export const LEFT: Box = [60, 80, 300, 300];
export const RIGHT: Box = [340, 80, 580, 300];
/** Zones as fractions of the frame. */
export const WHOLE_FRAME: [number, number][] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];
export const LEFT_HALF: [number, number][] = [
  [0, 0],
  [0.5, 0],
  [0.5, 1],
  [0, 1],
];

export const trayConfig = (over: Partial<TrayConfig> = {}): TrayConfig => ({
  ...(Value.Default(TraySection, {}) as TrayConfig),
  ...over,
});

export function tracker(
  over: Partial<TrayConfig> = {},
  zone: [number, number][] = WHOLE_FRAME,
  successorBumped?: (q: SuccessorQuery) => boolean,
): TrayTracker {
  return createTrayTracker({
    cameraId: 'expo',
    station: 'expo',
    zone,
    config: trayConfig(over),
    scoreThreshold: 0.4,
    successorBumped,
  });
}

export const det = (label: string, box: Box, score = 0.9): Detection => ({ label, score, box });

/** An item of `label` at slot i (0..5) on the tray box: small boxes in a 3x2 grid. */
export function item(label: string, tray: Box, i: number, score = 0.9): Detection {
  const cw = (tray[2] - tray[0]) / 3;
  const ch = (tray[3] - tray[1]) / 2;
  const x = tray[0] + (i % 3) * cw + cw * 0.2;
  const y = tray[1] + Math.floor(i / 3) * ch + ch * 0.2;
  return det(label, [x, y, x + cw * 0.6, y + ch * 0.6], score);
}

/** The tray and one item per entry of `labels` on it. */
export function trayWith(tray: Box, labels: string[], score = 0.9): Detection[] {
  return [det('tray', tray), ...labels.map((l, i) => item(l, tray, i, score))];
}

/** A hand box centred on the given point, 60x50 px. */
export const hand = (cx: number, cy: number): Detection => det('hand', [cx - 30, cy - 25, cx + 30, cy + 25]);

export const frame = (
  seq: number,
  ts: number,
  detections: Detection[],
  faint?: Detection[],
): FrameDetections => ({
  cameraId: 'expo',
  seq,
  ts,
  width: W,
  height: H,
  detections,
  ...(faint ? { faint } : {}),
  inferenceMs: 5,
});

/** A frame's counted detections and the faint candidates under the threshold (FrameDetections.faint). */
export interface SceneFrame {
  detections: Detection[];
  faint: Detection[];
}

export interface Fed {
  obs: TrayObservation[];
  /** ts of each frame in order. */
  times: number[];
}

/**
 * Feeds frames at `fps` from `startTs` for `durationMs`; `scene(ts, i)` gives each frame's detections.
 * Returns every observation in order.
 */
export function run(
  t: TrayTracker,
  fps: number,
  durationMs: number,
  scene: (ts: number, i: number) => Detection[] | SceneFrame,
  startTs = 1_000_000,
  startSeq = 0,
): Fed {
  const obs: TrayObservation[] = [];
  const times: number[] = [];
  const step = 1000 / fps;
  for (let i = 0; i * step <= durationMs; i++) {
    const ts = startTs + Math.round(i * step);
    times.push(ts);
    const s = scene(ts - startTs, i);
    obs.push(
      ...t.update(
        Array.isArray(s) ? frame(startSeq + i, ts, s) : frame(startSeq + i, ts, s.detections, s.faint),
      ),
    );
  }
  return { obs, times };
}

/** The verdict on one observation against one order of `lines` ([sku, qty]), on the test menu. */
export const judge = (o: TrayObservation, lines: [string, number][]): Verdict | null =>
  createVerifier({
    menu: MENU,
    config: { bestMatchWindowMin: 30, maxBestMatchDiff: 3, jointLinkWindowMs: 3000 },
  }).verify({ ...o, ts: NOW }, [order('1001', lines)], NOW);
