import { describe, expect, it } from 'vitest';
import { resolveRivals } from '../../src/detect/postprocess.js';
import type { Detection } from '../../src/types.js';

const det = (label: string, score: number, box: Detection['box']): Detection => ({ label, score, box });
const opts = { iou: 0.6, scoreRatio: 0.7 };

describe('resolveRivals: one object, two labels', () => {
  it('keeps the stronger label and flags it uncertain, naming its rival, when the weaker one was close', () => {
    const out = resolveRivals(
      [det('burger', 0.8, [10, 10, 60, 60]), det('fries', 0.7, [12, 11, 61, 62])],
      opts,
    );
    expect(out).toEqual([
      { label: 'burger', score: 0.8, box: [10, 10, 60, 60], uncertain: true, rival: 'fries' },
    ]);
  });

  it('drops a clearly weaker rival without flagging the winner', () => {
    const out = resolveRivals(
      [det('burger', 0.9, [10, 10, 60, 60]), det('fries', 0.45, [12, 11, 61, 62])],
      opts,
    );
    expect(out).toEqual([{ label: 'burger', score: 0.9, box: [10, 10, 60, 60] }]);
  });

  it('leaves separate objects and same-label neighbours alone', () => {
    const input = [
      det('tray', 0.9, [0, 0, 300, 200]),
      det('burger', 0.85, [10, 10, 60, 60]),
      det('burger', 0.8, [40, 10, 90, 60]),
      det('sauce', 0.8, [100, 100, 120, 120]),
    ];
    expect(resolveRivals(input, opts)).toEqual(input);
  });

  it('iou 1 never pairs two different boxes', () => {
    const input = [det('burger', 0.8, [10, 10, 60, 60]), det('fries', 0.79, [11, 10, 60, 60])];
    expect(resolveRivals(input, { iou: 1, scoreRatio: 0.7 })).toHaveLength(2);
  });
});
