import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/camera/backoff.js';
import { createRateMeter } from '../../src/camera/camera-status.js';

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

describe('rate meter', () => {
  it('measures a steady 5 fps and decays to 0 when frames stop', () => {
    const m = createRateMeter(1000);
    for (let t = 0; t <= 3000; t += 200) m.tick(t + (t % 400 === 0 ? 7 : -7)); // jitter
    expect(m.rate(3000)).toBeGreaterThan(4.5);
    expect(m.rate(3000)).toBeLessThan(5.6);
    expect(m.rate(5000)).toBe(0);
  });
});
