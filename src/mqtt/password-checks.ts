// scrypt costs ~50 ms of a libuv thread per check, so logins must not become a way to keep the
// box busy: a client that already verified (same user, same password) is let in from an HMAC in
// memory, at most `concurrency` checks run at once, a check whose client hung up while queued is
// skipped, and a login is refused as "server unavailable" beyond `maxWaiting` queued checks or
// `maxPerAddress` checks pending for one address (so one address cannot fill the queue before
// its failures lock it out).
// (A fuzz of 2,000 connections that each sent a CONNECT and hung up left ~25 s of queued scrypt
// behind it, and an honest POS timed out waiting for its CONNACK.)
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyPassword } from '../auth/passwords.js';

export type CheckResult = 'ok' | 'wrong' | 'gone' | 'busy';

export interface PasswordChecks {
  /** `hash` null: unknown user (checked against a dummy hash, so it takes as long). */
  check(
    username: string,
    hash: string | null,
    password: string,
    from: { address: string; stillWanted: () => boolean },
  ): Promise<CheckResult>;
}

export function createPasswordChecks(opts: {
  concurrency: number;
  maxWaiting: number;
  maxPerAddress: number;
}): PasswordChecks {
  const key = randomBytes(32);
  const mac = (username: string, password: string): Buffer =>
    createHmac('sha256', key).update(username).update('\0').update(password).digest();
  // Users are read once at start, so an entry never goes stale.
  const verified = new Map<string, Buffer>();
  const waiting: Array<() => void> = [];
  const pending = new Map<string, number>();
  let running = 0;

  const release = (): void => {
    running--;
    waiting.shift()?.();
  };
  const acquire = (): Promise<void> | null => {
    if (running < opts.concurrency) {
      running++;
      return Promise.resolve();
    }
    if (waiting.length >= opts.maxWaiting) return null;
    return new Promise((resolve) =>
      waiting.push(() => {
        running++;
        resolve();
      }),
    );
  };

  return {
    async check(username, hash, password, from) {
      const known = verified.get(username);
      if (known && hash !== null && timingSafeEqual(known, mac(username, password))) return 'ok';
      const mine = pending.get(from.address) ?? 0;
      if (mine >= opts.maxPerAddress) return 'busy';
      const slot = acquire();
      if (!slot) return 'busy';
      pending.set(from.address, mine + 1);
      await slot;
      try {
        if (!from.stillWanted()) return 'gone';
        const ok = await verifyPassword(password, hash);
        if (ok && hash !== null) verified.set(username, mac(username, password));
        return ok ? 'ok' : 'wrong';
      } finally {
        release();
        const left = (pending.get(from.address) ?? 1) - 1;
        if (left <= 0) pending.delete(from.address);
        else pending.set(from.address, left);
      }
    },
  };
}
