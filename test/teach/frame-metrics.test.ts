import { describe, expect, it } from 'vitest';
import { iou, scoreFrames, type FrameResult } from '../../src/teach/frame-metrics.js';
import type { Box } from '../../src/types.js';

const tray: Box = [0, 0, 100, 100];
const b1: Box = [10, 10, 30, 30];
const b2: Box = [50, 50, 70, 70];
const off: Box = [200, 200, 220, 220];
const at = (label: string, box: Box, score = 1) => ({ label, box, score });

describe('held-out frame scoring', () => {
  it('iou of boxes', () => {
    expect(iou(b1, b1)).toBe(1);
    expect(iou(b1, b2)).toBe(0);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(1 / 3, 6);
  });

  it.each<[string, FrameResult[], Record<string, number>, number | null]>([
    [
      'perfect',
      [
        {
          truth: [at('tray', tray), at('burger', b1)],
          detections: [at('tray', tray, 0.9), at('burger', b1, 0.8)],
        },
      ],
      { tray: 1, burger: 1 },
      1,
    ],
    [
      'missed burger',
      [{ truth: [at('tray', tray), at('burger', b1)], detections: [at('tray', tray, 0.9)] }],
      { tray: 1, burger: 0 },
      0,
    ],
    // Counted right (one burger on the tray) though the box is elsewhere: AP sees it, counts do not.
    [
      'wrong place',
      [{ truth: [at('tray', tray), at('burger', b1)], detections: [at('tray', tray), at('burger', b2)] }],
      { tray: 1, burger: 0 },
      1,
    ],
    // A false positive scored above the true one halves precision at full recall.
    [
      'false positive first',
      [
        {
          truth: [at('tray', tray), at('burger', b1)],
          detections: [at('tray', tray), at('burger', b2, 0.9), at('burger', b1, 0.5)],
        },
      ],
      { tray: 1, burger: 0.5 },
      0,
    ],
    // Below the daemon's threshold: counts as absent for tray counts, still ranked for AP.
    [
      'below threshold',
      [
        {
          truth: [at('tray', tray), at('burger', b1)],
          detections: [at('tray', tray), at('burger', b1, 0.2)],
        },
      ],
      { tray: 1, burger: 1 },
      0,
    ],
    [
      'item outside any tray is not counted',
      [{ truth: [at('tray', tray), at('burger', off)], detections: [at('tray', tray)] }],
      { tray: 1, burger: 0 },
      1,
    ],
  ])('%s', (_name, frames, ap, trayAcc) => {
    const m = scoreFrames(frames, ['tray', 'burger', 'fries'], () => 0.4);
    expect(m.ap50).toEqual(ap);
    expect(m.trayCountAccuracy).toBe(trayAcc);
    expect(m.map50).toBeCloseTo(Object.values(ap).reduce((a, b) => a + b, 0) / Object.keys(ap).length, 3);
  });
});
