// Failed MQTT logins per source address: after `failuresPerMinute` failures within a minute the
// address is refused outright (no password check, so guessing costs the box nothing) for
// `lockoutMs`. A successful login does not clear the count: a guesser behind the same address as
// a working POS (NAT, shared Wi-Fi) would otherwise get fresh attempts. Pure: time is passed in.
export interface LoginThrottle {
  /** Null when a login from `address` may be checked, else when the lockout ends (ms). */
  lockedUntil(address: string, nowMs: number): number | null;
  /** Records a failed login; returns true when this failure started a lockout. */
  failed(address: string, nowMs: number): boolean;
  /** Addresses locked out right now. */
  lockedCount(nowMs: number): number;
}

const WINDOW_MS = 60_000;
/** Bounds memory when many addresses fail (a scan): the oldest entries go first. */
const MAX_ADDRESSES = 10_000;

export function createLoginThrottle(opts: { failuresPerMinute: number; lockoutMs: number }): LoginThrottle {
  const failures = new Map<string, number[]>();
  const locked = new Map<string, number>();
  return {
    lockedUntil(address, nowMs) {
      const until = locked.get(address);
      if (until === undefined) return null;
      if (until > nowMs) return until;
      locked.delete(address);
      return null;
    },
    failed(address, nowMs) {
      const recent = (failures.get(address) ?? []).filter((t) => nowMs - t < WINDOW_MS);
      recent.push(nowMs);
      failures.delete(address);
      if (recent.length >= opts.failuresPerMinute) {
        locked.set(address, nowMs + opts.lockoutMs);
        if (locked.size > MAX_ADDRESSES) locked.delete(locked.keys().next().value as string);
        return true;
      }
      failures.set(address, recent);
      if (failures.size > MAX_ADDRESSES) failures.delete(failures.keys().next().value as string);
      return false;
    },
    lockedCount(nowMs) {
      let n = 0;
      for (const [a, until] of locked) {
        if (until > nowMs) n++;
        else locked.delete(a);
      }
      return n;
    },
  };
}
