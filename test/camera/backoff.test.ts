import { describe, expect, it } from 'vitest';
import { backoffDelayMs, createReconnectSchedule, OUTAGE_SHARE } from '../../src/camera/backoff.js';

const mid = () => 0.5; // no jitter
const defaults = { initialMs: 1000, maxMs: 30_000 }; // config/traycheck.example.yaml
const long = Number.POSITIVE_INFINITY;

/** Attempt times of one outage where every attempt fails at once (connection refused). */
function attemptTimes(limits: typeof defaults, untilMs: number, random: () => number): number[] {
  const times: number[] = [];
  let t = 0;
  for (let attempt = 0; ; attempt++) {
    t += backoffDelayMs({ attempt, downForMs: t }, limits, random);
    if (t > untilMs) return times;
    times.push(t);
  }
}

describe('backoff', () => {
  it('doubles from the initial delay up to the cap in a long outage', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 40].map((attempt) =>
      backoffDelayMs({ attempt, downForMs: long }, defaults, mid),
    );
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitters by ±20 % and never exceeds the cap', () => {
    expect(backoffDelayMs({ attempt: 0, downForMs: long }, defaults, () => 0)).toBe(800);
    expect(backoffDelayMs({ attempt: 0, downForMs: long }, defaults, () => 0.999999)).toBe(1200);
    expect(backoffDelayMs({ attempt: 10, downForMs: long }, defaults, () => 0.999999)).toBe(30_000);
  });

  it('waits no longer than a quarter of the outage so far, and never less than the initial delay', () => {
    const at = (attempt: number, downForMs: number): number =>
      backoffDelayMs({ attempt, downForMs }, defaults, mid);
    expect(OUTAGE_SHARE).toBe(0.25);
    // Attempt 3 after 6 s of refused connections: 1.5 s, not the 8 s of plain doubling.
    expect(at(3, 6000)).toBe(1500);
    expect(at(3, 3000)).toBe(1000);
    expect(at(2, 0)).toBe(1000);
    expect(at(5, 500)).toBe(1000);
    expect(at(1, 10_000)).toBe(2000); // the exponential is still the limit when attempts are slow
    expect(at(20, 120_000)).toBe(30_000);
    expect(backoffDelayMs({ attempt: 4, downForMs: 6000 }, { initialMs: 5000, maxMs: 30_000 }, mid)).toBe(
      5000,
    );
  });

  it('a server back after a short outage is retried within 5 s (issue: online within 5 s)', () => {
    // Attempts at the worst jitter (always the longest delay), then the server returns at each
    // 100 ms step up to 10 s: the next attempt after its return is what the camera waits.
    for (const random of [() => 0.999999, () => 0, mid]) {
      const times = attemptTimes(defaults, 60_000, random);
      for (let backAt = 100; backAt <= 10_000; backAt += 100) {
        const next = times.find((t) => t >= backAt);
        expect(next, `server back at ${backAt} ms`).toBeDefined();
        const waitMs = (next ?? 0) - backAt;
        expect(waitMs, `server back at ${backAt} ms, attempts ${times.join(', ')}`).toBeLessThanOrEqual(
          Math.max(1200, 0.3 * backAt),
        );
        // ffmpeg needs 1.5-2.5 s to a first frame after that: the wait must leave room for it.
        if (backAt <= 5000) expect(waitMs).toBeLessThanOrEqual(1500);
      }
    }
  });

  it('still reaches the cap in a long outage, with a bounded number of attempts', () => {
    const times = attemptTimes(defaults, 10 * 60_000, mid);
    const firstAtCap = times.findIndex((t, i) => i > 0 && t - (times[i - 1] ?? 0) === defaults.maxMs);
    expect(firstAtCap).toBeGreaterThan(0);
    expect(times[firstAtCap] ?? 0).toBeLessThan(200_000);
    // 10 minutes of outage: the ramp plus about 15 attempts at the cap, not one per second.
    expect(times.length).toBeLessThan(45);
  });

  it('a connection that delivered frames ends the outage: the next one starts from the initial delay', () => {
    const schedule = createReconnectSchedule(defaults, mid);
    schedule.started(0);
    // Refused for 10 s: the delays have grown.
    let t = 0;
    while (t < 10_000) t += schedule.nextDelayMs(t, null);
    expect(schedule.nextDelayMs(t, null)).toBeGreaterThan(2500);
    // Back, frames for 2 s (far less than any "healthy for N s" rule), lost again.
    schedule.connected();
    expect(schedule.attempt()).toBe(0);
    const lastFrameAt = t + 2000;
    expect(schedule.nextDelayMs(lastFrameAt + 50, lastFrameAt)).toBe(1000);
    expect(schedule.nextDelayMs(lastFrameAt + 1100, null)).toBe(1000);
    expect(schedule.nextDelayMs(lastFrameAt + 2150, null)).toBe(1000);
  });

  it('an outage found by the stall watchdog counts from the last frame', () => {
    const schedule = createReconnectSchedule(defaults, mid);
    schedule.started(0);
    schedule.connected();
    // Frames until 60 s, then the stream froze; the watchdog killed ffmpeg 5 s later.
    expect(schedule.nextDelayMs(65_000, 60_000)).toBe(1000);
    expect(schedule.nextDelayMs(66_000, null)).toBe(1500);
    expect(schedule.nextDelayMs(68_000, null)).toBe(2000);
  });

  it('without a frame the outage goes on across attempts and from start()', () => {
    const schedule = createReconnectSchedule(defaults, mid);
    schedule.started(1_000_000);
    const delays = [0, 1000, 2000, 3000, 4000, 5000, 6250].map((t) =>
      schedule.nextDelayMs(1_000_000 + t, null),
    );
    expect(delays).toEqual([1000, 1000, 1000, 1000, 1000, 1250, 1563]);
    expect(schedule.attempt()).toBe(7);
  });
});
