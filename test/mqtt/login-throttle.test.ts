// Per-address login lockout (src/mqtt/login-throttle.ts).
import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../src/mqtt/login-throttle.js';

describe('createLoginThrottle', () => {
  it('locks an address out after N failures within a minute, for lockoutMs', () => {
    const t = createLoginThrottle({ failuresPerMinute: 3, lockoutMs: 10_000 });
    expect(t.failed('a', 0)).toBe(false);
    expect(t.failed('a', 1000)).toBe(false);
    expect(t.lockedUntil('a', 1000)).toBeNull();
    expect(t.failed('a', 2000)).toBe(true);
    expect(t.lockedUntil('a', 2001)).toBe(12_000);
    expect(t.lockedUntil('b', 2001)).toBeNull();
    expect(t.lockedCount(2001)).toBe(1);
    expect(t.lockedUntil('a', 12_000)).toBeNull();
  });

  it('forgets failures older than a minute', () => {
    const t = createLoginThrottle({ failuresPerMinute: 3, lockoutMs: 10_000 });
    t.failed('a', 0);
    t.failed('a', 1000);
    expect(t.failed('a', 61_000)).toBe(false); // both earlier failures are a minute old
    expect(t.failed('a', 62_000)).toBe(false);
    expect(t.failed('a', 63_000)).toBe(true);
  });
});
