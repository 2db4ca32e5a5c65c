// The verify stage for the daemon: verifyTray plus a memory of which tray in view is linked to
// which order, so a tray keeps its order while it is corrected, two trays in view never share
// an order, and an order updated after verification is re-verified. No I/O, no clock.
import type { Menu, VerifyConfig } from '../config/schema.js';
import type { LabelCounts, LinkMethod, Order, TrayObservation, Verdict } from '../types.js';
import { verifyTray } from './verdict.js';

export interface VerifierOptions {
  menu: Menu;
  config: VerifyConfig;
  /** sha256 of the model whose detections are judged (stored with each verdict). */
  modelSha256?: () => string | undefined;
}

export interface TrayLink {
  orderId: string | null;
  orderVersion: number | null;
  link: LinkMethod;
  expected: LabelCounts | null;
  result: Verdict['result'];
}

export interface Verifier {
  /** Verdict for a settled/changed observation; a departed one forgets the tray and returns null. */
  verify(obs: TrayObservation, orders: readonly Order[], now: number): Verdict | null;
  /**
   * After an order changed: new verdicts for the trays in view linked to it, when its version is
   * newer than the one they were verified against or it was cancelled.
   */
  reverify(order: Order, orders: readonly Order[], now: number): Verdict[];
  /** The current link of a tray in view (live view), or null. */
  linkOf(trayId: string): TrayLink | null;
  forget(trayId: string): void;
}

interface Memory {
  obs: TrayObservation;
  verdict: Verdict;
  /** The order the tray is linked to, as last seen: used when the caller's candidates no longer hold it. */
  order: Order | null;
}

export function createVerifier(opts: VerifierOptions): Verifier {
  const memory = new Map<string, Memory>();

  const takenBy = (exceptTrayId: string): Set<string> => {
    const set = new Set<string>();
    for (const [trayId, m] of memory)
      if (trayId !== exceptTrayId && m.verdict.orderId) set.add(m.verdict.orderId);
    return set;
  };

  const run = (obs: TrayObservation, orders: readonly Order[], now: number): Verdict | null => {
    const mem = memory.get(obs.trayId);
    const prev = mem?.verdict;
    // A verified order is no longer a candidate, yet the tray keeps it while in view (correction).
    const all =
      mem?.order && !orders.some((o) => o.orderId === mem.order?.orderId) ? [...orders, mem.order] : orders;
    const verdict = verifyTray(obs, all, opts.menu, {
      now,
      bestMatchWindowMin: opts.config.bestMatchWindowMin,
      maxBestMatchDiff: opts.config.maxBestMatchDiff,
      modelSha256: opts.modelSha256?.(),
      previous: prev ? { orderId: prev.orderId, link: prev.link } : null,
      taken: takenBy(obs.trayId),
    });
    const order = verdict?.orderId ? (all.find((o) => o.orderId === verdict.orderId) ?? null) : null;
    if (verdict) memory.set(obs.trayId, { obs, verdict, order });
    else memory.delete(obs.trayId);
    return verdict;
  };

  return {
    verify(obs, orders, now) {
      if (obs.phase === 'departed') {
        memory.delete(obs.trayId);
        return null;
      }
      return run(obs, orders, now);
    },
    reverify(order, orders, now) {
      const out: Verdict[] = [];
      const current = [...orders.filter((o) => o.orderId !== order.orderId), order];
      const trays = [...memory.entries()].filter(([, m]) => m.verdict.orderId === order.orderId);
      for (const [trayId, m] of trays.sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const stale = order.status === 'cancelled' || order.version > (m.verdict.orderVersion ?? 0);
        if (!stale) continue;
        // A cancelled order releases the tray, which then links afresh.
        if (order.status === 'cancelled')
          memory.set(trayId, { ...m, order: null, verdict: { ...m.verdict, orderId: null, link: 'none' } });
        const v = run(m.obs, current, now);
        if (v) out.push(v);
      }
      return out;
    },
    linkOf(trayId) {
      const v = memory.get(trayId)?.verdict;
      if (!v) return null;
      return {
        orderId: v.orderId,
        orderVersion: v.orderVersion ?? null,
        link: v.link,
        expected: v.orderId ? { ...v.expected } : null,
        result: v.result,
      };
    },
    forget(trayId) {
      memory.delete(trayId);
    },
  };
}
