import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/camera/backoff.js';

describe('backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const mid = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((a) => backoffDelayMs(a, 1000, 30_000, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('jitters by ±20 % and never exceeds the cap', () => {
    expect(backoffDelayMs(0, 1000, 30_000, () => 0)).toBe(800);
    expect(backoffDelayMs(0, 1000, 30_000, () => 0.999999)).toBe(1200);
    expect(backoffDelayMs(10, 1000, 30_000, () => 0.999999)).toBe(30_000);
  });
});
