import { describe, expect, it } from 'vitest';
import { createRateMeter, createStatusTracker } from '../../src/camera/camera-status.js';
import type { CameraStatus } from '../../src/types.js';

describe('rate meter', () => {
  it('measures a steady 5 fps and decays to 0 when frames stop', () => {
    const m = createRateMeter(1000);
    for (let t = 0; t <= 3000; t += 200) m.tick(t + (t % 400 === 0 ? 7 : -7)); // jitter
    expect(m.rate(3000)).toBeGreaterThan(4.5);
    expect(m.rate(3000)).toBeLessThan(5.6);
    expect(m.rate(5000)).toBe(0);
  });
});

describe('status tracker', () => {
  it('emits on state, error and idle changes only, with timestamps and counters', () => {
    let now = 1000;
    const seen: CameraStatus[] = [];
    const t = createStatusTracker(
      'expo',
      (s) => seen.push(s),
      () => now,
    );
    expect(t.snapshot().state).toBe('offline'); // before start
    t.set('connecting', null);
    now = 2000;
    t.set('connecting', null); // no change
    t.ingested(now, now);
    t.forwarded(now);
    t.set('online');
    now = 3000;
    t.setIdle(true);
    t.setIdle(true);
    t.skipped();
    t.set('offline', 'connection refused');
    t.set('offline', 'connection refused');
    t.set('offline', 'authentication failed (401)');
    t.dropped(2);
    t.restarted();
    expect(seen.map((s) => [s.state, s.lastError, s.idle])).toEqual([
      ['connecting', null, false],
      ['online', null, false],
      ['online', null, true],
      ['offline', 'connection refused', true],
      ['offline', 'authentication failed (401)', true],
    ]);
    expect(seen[1]?.since).toBe(2000);
    expect(seen[4]?.since).toBe(3000); // same state, new error: since unchanged
    expect(t.snapshot()).toMatchObject({
      framesTotal: 1,
      framesDropped: 2,
      framesSkipped: 1,
      restarts: 1,
      lastFrameTs: 2000,
    });
  });
});
