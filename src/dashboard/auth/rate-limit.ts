// Login throttle: more than `maxFailures` failed attempts within `windowMs` for one key
// (an IP or a username) locks that key until the oldest failure leaves the window.
export interface FailureLimiter {
  /** Milliseconds until any of `keys` may try again, or 0 when none is locked. */
  retryAfterMs(keys: string[], now: number): number;
  fail(keys: string[], now: number): void;
  clear(key: string): void;
}

const MAX_KEYS = 10_000;

export function createFailureLimiter(opts: { maxFailures: number; windowMs: number }): FailureLimiter {
  const failures = new Map<string, number[]>();

  const recent = (key: string, now: number): number[] => {
    const list = (failures.get(key) ?? []).filter((t) => t > now - opts.windowMs);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };

  return {
    retryAfterMs(keys, now) {
      let wait = 0;
      for (const key of keys) {
        const list = recent(key, now);
        if (list.length >= opts.maxFailures) {
          const oldestThatCounts = list[list.length - opts.maxFailures] ?? now;
          wait = Math.max(wait, oldestThatCounts + opts.windowMs - now);
        }
      }
      return wait;
    },
    fail(keys, now) {
      for (const key of keys) {
        const list = recent(key, now);
        list.push(now);
        failures.set(key, list.slice(-opts.maxFailures * 2));
      }
      // Bounded memory under a spray of usernames: forget the oldest keys.
      while (failures.size > MAX_KEYS) {
        const first = failures.keys().next();
        if (first.done) break;
        failures.delete(first.value);
      }
    },
    clear(key) {
      failures.delete(key);
    },
  };
}
