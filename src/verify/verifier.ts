// The verify stage for the daemon: verifyTray plus a memory of which tray in view is linked to
// which order, so a tray keeps its order while it is corrected, two trays in view never share
// an order, an order updated after verification is re-verified, and a tray left unlinked
// because another tray in view took its order first can take it over (relink). No I/O, no clock.
import type { Menu, Modifiers, VerifyConfig } from '../config/schema.js';
import type { LabelCounts, LinkMethod, Order, TrayObservation, Verdict } from '../types.js';
import { expandOrder } from '../menu/index.js';
import { diffSize } from './compare.js';
import { verifyTray, type VerifyOptions } from './verdict.js';

export interface VerifierOptions {
  menu: Menu;
  /** The config's `modifiers` section. */
  modifiers?: Modifiers;
  config: VerifyConfig;
  /** sha256 of the model whose detections are judged (stored with each verdict). */
  modelSha256?: () => string | undefined;
  /**
   * Another tray in view was relinked to a different order while `verify` ran (see `relink`):
   * its new verdict, with the observation it was judged on.
   */
  onRelinked?: (verdict: Verdict, obs: TrayObservation) => void;
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
  /**
   * A tray back at its spot looking as before: was an order it fits at least as well as its own
   * bumped ready at its station after `sinceTs`? (The tracker then takes it for that order's tray.)
   */
  nextOrderBumped(
    q: { trayId: string; station: string | null; sinceTs: number; items: LabelCounts },
    orders: readonly Order[],
  ): boolean;
  forget(trayId: string): void;
}

interface Memory {
  obs: TrayObservation;
  verdict: Verdict;
  /** The order the tray is linked to, as last seen: used when the caller's candidates no longer hold it. */
  order: Order | null;
  /** Orders that were bumped ready when the tray was verdicted (the KDS bump order, see nextOrderBumped). */
  readyThen: ReadonlySet<string>;
}

const readyIds = (orders: readonly Order[]): Set<string> =>
  new Set(orders.filter((o) => o.status === 'ready').map((o) => o.orderId));

const total = (c: LabelCounts): number => Object.values(c).reduce((a, n) => a + n, 0);

/**
 * Tray a holds order `mine`, tray b order `theirs`, both bumped ready: would exchanging them give
 * the tray that settled first the order bumped first (and it does not hold it now)?
 */
function bumpOrderAfterExchange(a: TrayObservation, mine: Order, b: TrayObservation, theirs: Order): boolean {
  if (mine.readyAt == null || theirs.readyAt == null || mine.readyAt === theirs.readyAt || a.ts === b.ts)
    return false;
  return a.ts < b.ts === theirs.readyAt < mine.readyAt;
}

export function createVerifier(opts: VerifierOptions): Verifier {
  const memory = new Map<string, Memory>();

  const takenBy = (exceptTrayId: string): Set<string> => {
    const set = new Set<string>();
    for (const [trayId, m] of memory)
      if (trayId !== exceptTrayId && m.verdict.orderId) set.add(m.verdict.orderId);
    return set;
  };

  const judge = (
    obs: TrayObservation,
    orders: readonly Order[],
    now: number,
    previous: VerifyOptions['previous'],
    taken: ReadonlySet<string>,
  ): Verdict | null =>
    verifyTray(obs, orders, opts.menu, {
      now,
      bestMatchWindowMin: opts.config.bestMatchWindowMin,
      maxBestMatchDiff: opts.config.maxBestMatchDiff,
      modifiers: opts.modifiers,
      modelSha256: opts.modelSha256?.(),
      previous,
      taken,
    });

  const remember = (obs: TrayObservation, verdict: Verdict, orders: readonly Order[]): void => {
    const order = verdict.orderId ? (orders.find((o) => o.orderId === verdict.orderId) ?? null) : null;
    const readyThen = memory.get(obs.trayId)?.readyThen ?? readyIds(orders);
    memory.set(obs.trayId, { obs, verdict, order, readyThen });
  };

  /** How far a verdict is from a clean match; an unlinked tray costs more than any allowed link. */
  const cost = (v: Verdict): number =>
    v.orderId ? total(v.missing) + total(v.extra) : opts.config.maxBestMatchDiff + 1;

  /**
   * Two trays settle together and the first takes, by the ready rule, the order bumped for the
   * second; the second then finds nothing. When giving that order to the unlinked tray and
   * linking the other tray afresh (it must find an order) differs by fewer items in total,
   * the links are swapped and the other tray gets a new verdict through `onRelinked`.
   */
  const relink = (obs: TrayObservation, verdict: Verdict, orders: readonly Order[], now: number): Verdict => {
    if (verdict.result !== 'unlinked') return verdict;
    const others = [...memory.entries()]
      // A tray that matches its order exactly keeps it.
      .filter(
        ([trayId, m]) =>
          trayId !== obs.trayId && m.order && m.verdict.result !== 'ok' && m.obs.cameraId === obs.cameraId,
      )
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    let best: { verdict: Verdict; other: Memory; otherVerdict: Verdict; gain: number } | null = null;
    for (const [trayId, other] of others) {
      const theirs = other.order as Order;
      const mine = judge(
        obs,
        [theirs],
        now,
        { orderId: theirs.orderId, link: other.verdict.link },
        new Set(),
      );
      if (!mine?.orderId) continue;
      // Rule b's limit holds for a taken-over best match too.
      if (mine.link === 'best-match' && cost(mine) > opts.config.maxBestMatchDiff) continue;
      // The other tray links afresh among the orders no tray in view holds, less the one it gives up.
      const pool = orders.filter((o) => o.orderId !== theirs.orderId);
      const moved = judge(other.obs, pool, now, null, takenBy(trayId));
      if (!moved?.orderId) continue;
      const gain = cost(verdict) + cost(other.verdict) - (cost(mine) + cost(moved));
      if (gain > 0 && (!best || gain > best.gain)) best = { verdict: mine, other, otherVerdict: moved, gain };
    }
    if (!best) return verdict;
    remember(best.other.obs, best.otherVerdict, orders);
    memory.set(obs.trayId, {
      obs,
      verdict: best.verdict,
      order: best.other.order,
      readyThen: memory.get(obs.trayId)?.readyThen ?? readyIds(orders),
    });
    opts.onRelinked?.(best.otherVerdict, best.other.obs);
    return best.verdict;
  };

  /**
   * Joint linking: two trays that settle together (within jointLinkWindowMs), neither matching its
   * order exactly, may each have been linked to the other's order (both wrong, each looking more
   * like the other's order). When exchanging their orders lowers the total number of differing
   * items, they are exchanged; the other tray gets a new verdict through `onRelinked`.
   *
   * A tie (both pairings differ by as many items) goes to the KDS bump order, also when one of the
   * trays matches its order exactly: trays follow their bumps, so the tray that settled first holds
   * the order bumped first. Seed 20's T1170: the one-drink tray for order 1170 (a burger) settled
   * just after 1171 (a drink) was bumped and matched it exactly; the next tray, 1171's drink with an
   * extra nuggets, then took 1170. Both pairings differ by 3 items; by the bump order the wrong
   * drink is caught on its own tray.
   */
  const exchange = (obs: TrayObservation, verdict: Verdict, now: number): Verdict => {
    const mine = memory.get(obs.trayId)?.order;
    if (!mine) return verdict;
    let best: { verdict: Verdict; other: Memory; otherVerdict: Verdict; gain: number } | null = null;
    const others = [...memory.entries()]
      .filter(
        ([trayId, m]) =>
          trayId !== obs.trayId &&
          m.order &&
          !(m.verdict.result === 'ok' && verdict.result === 'ok') &&
          m.obs.cameraId === obs.cameraId &&
          Math.abs(obs.ts - m.obs.ts) <= opts.config.jointLinkWindowMs,
      )
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const [, other] of others) {
      const theirs = other.order as Order;
      const exact = verdict.result === 'ok' || other.verdict.result === 'ok';
      const took = judge(
        obs,
        [theirs],
        now,
        { orderId: theirs.orderId, link: other.verdict.link },
        new Set(),
      );
      const gave = judge(other.obs, [mine], now, { orderId: mine.orderId, link: verdict.link }, new Set());
      if (!took?.orderId || !gave?.orderId) continue;
      const gain = cost(verdict) + cost(other.verdict) - (cost(took) + cost(gave));
      const better = gain > 0 && !exact;
      const tieToBumpOrder = gain === 0 && bumpOrderAfterExchange(obs, mine, other.obs, theirs);
      if ((better || tieToBumpOrder) && (!best || gain > best.gain))
        best = { verdict: took, other, otherVerdict: gave, gain };
    }
    if (!best) return verdict;
    memory.set(best.other.obs.trayId, { ...best.other, verdict: best.otherVerdict, order: mine });
    const own = memory.get(obs.trayId);
    if (own) memory.set(obs.trayId, { ...own, obs, verdict: best.verdict, order: best.other.order });
    opts.onRelinked?.(best.otherVerdict, best.other.obs);
    return best.verdict;
  };

  const run = (obs: TrayObservation, orders: readonly Order[], now: number): Verdict | null => {
    const mem = memory.get(obs.trayId);
    const prev = mem?.verdict;
    // A verified order is no longer a candidate, yet the tray keeps it while in view (correction).
    const all =
      mem?.order && !orders.some((o) => o.orderId === mem.order?.orderId) ? [...orders, mem.order] : orders;
    const verdict = judge(
      obs,
      all,
      now,
      prev ? { orderId: prev.orderId, link: prev.link } : null,
      takenBy(obs.trayId),
    );
    if (!verdict) {
      memory.delete(obs.trayId);
      return null;
    }
    remember(obs, verdict, all);
    const linked = relink(obs, verdict, orders, now);
    // Only a tray's first verdict is exchanged: a later one is a correction of its own tray.
    return prev || linked.result === 'unlinked' ? linked : exchange(obs, linked, now);
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
    nextOrderBumped(q, orders) {
      const m = memory.get(q.trayId);
      const mine = m?.verdict;
      if (!m || !mine?.orderId) return false;
      const taken = takenBy(q.trayId);
      const own = cost(mine);
      return orders.some((o) => {
        if (o.status !== 'ready' || o.orderId === mine.orderId || taken.has(o.orderId)) return false;
        // Bumped since the tray's first verdict: by the KDS order of bumps, not by timestamps
        // (order times are the broker's clock, tray times the camera's; in eval they differ).
        if (m.readyThen.has(o.orderId)) return false;
        if (o.station != null && q.station != null && o.station !== q.station) return false;
        const expansion = expandOrder(o, opts.menu, opts.modifiers);
        return diffSize(expansion.expected, q.items, expansion.allowance) <= own;
      });
    },
  };
}
