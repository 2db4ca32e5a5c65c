// Rejected inbound messages: stored (raw payload truncated), counted per reason, logged at most
// once per reason per minute, emitted on the bus and echoed on <prefix>/<store>/pos/rejected so
// the POS integrator sees what is wrong without access to the box.
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { OrdersRepo } from '../store/orders-repo.js';
import type { RejectedMessage } from '../types.js';

export interface RejectionsDeps {
  repo: OrdersRepo;
  bus: EventBus;
  log: Logger;
  /** Publishes the echo; must not throw. */
  echo: (msg: RejectedMessage) => void;
  keepBytes: number;
  now?: () => number;
  logIntervalMs?: number;
}

export interface RejectionCounts {
  total: number;
  /** Reason key ("too-large", "not-json", "items[].qty", "unknown-sku", ...) → count. */
  byReason: Record<string, number>;
}

export interface Rejections {
  /** Stores and reports one rejection (synchronous: done before the message is acknowledged). */
  record(topic: string, payload: Buffer | string, reason: string, key: string): RejectedMessage;
  counts(): RejectionCounts;
  last(): RejectedMessage | null;
  /** Rejections within the last `windowMs` (to the second; windows up to an hour). */
  recent(windowMs: number): number;
}

/** The first `bytes` of a payload as text (invalid UTF-8 shows as U+FFFD). */
export function truncatePayload(payload: Buffer | string, bytes: number): string {
  const buf = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  if (buf.length <= bytes) return buf.toString('utf8');
  return `${buf.subarray(0, bytes).toString('utf8')}…(${buf.length} bytes)`;
}

/** Seconds of per-second counts kept for recent(). */
const RECENT_KEEP_S = 3600;

export function createRejections({
  repo,
  bus,
  log,
  echo,
  keepBytes,
  now = Date.now,
  logIntervalMs = 60_000,
}: RejectionsDeps): Rejections {
  const byReason = new Map<string, number>();
  const logState = new Map<string, { at: number; suppressed: number }>();
  // Rejections per second (epoch second → count) for recent(): bounded by time, not by count, so
  // a flood is reported in full (a ring of the last 1,000 timestamps said "1000 in the last
  // 5 min" however many there were; test/resilience/fuzz-memory.test.ts).
  const perSecond = new Map<number, number>();
  let total = 0;
  let last: RejectedMessage | null = null;

  return {
    record(topic, payload, reason, key) {
      const ts = now();
      const msg: RejectedMessage = { topic, reason, payload: truncatePayload(payload, keepBytes), ts };
      repo.insertRejected(msg);
      total++;
      byReason.set(key, (byReason.get(key) ?? 0) + 1);
      last = msg;
      const second = Math.floor(ts / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      for (const s of perSecond.keys()) {
        if (s >= second - RECENT_KEEP_S) break;
        perSecond.delete(s);
      }
      const st = logState.get(key);
      if (!st || ts - st.at >= logIntervalMs) {
        log.warn(
          { topic, reason, key, suppressedSinceLastLog: st?.suppressed ?? 0 },
          `rejected message: ${reason}`,
        );
        logState.set(key, { at: ts, suppressed: 0 });
      } else {
        st.suppressed++;
      }
      bus.emit('rejected', msg);
      echo(msg);
      return msg;
    },
    counts: () => ({ total, byReason: Object.fromEntries(byReason) }),
    last: () => last,
    recent(windowMs) {
      const since = Math.floor((now() - windowMs) / 1000);
      let n = 0;
      for (const [s, count] of perSecond) if (s > since) n += count;
      return n;
    },
  };
}
