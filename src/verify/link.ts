// Which order is this tray for? DESIGN.md "Tray lifecycle and linking" rule 3:
// a. `ready` orders bumped at this station (best match among several, ties to the oldest bump);
// b. `best-match` among recent open orders, within maxBestMatchDiff, ties to the oldest;
// c. nothing → unlinked.
import type { Menu, Modifiers } from '../config/schema.js';
import { expandOrder } from '../menu/index.js';
import type { LinkMethod, Order, TrayObservation } from '../types.js';
import { compare, diffSize, doubtOf, isEmpty, spareOf, withinDoubt } from './compare.js';

export interface LinkCandidates {
  /** Orders bumped ready at this station and not yet verified. */
  ready: Order[];
  /** Open orders (not ready, verified, served or cancelled) placed within the best-match window. */
  open: Order[];
}

export interface LinkOptions {
  maxBestMatchDiff: number;
  modifiers?: Modifiers;
}

export interface LinkResult {
  order: Order | null;
  link: LinkMethod;
  /** Items differing from the linked order's expansion (0 when unlinked). */
  diff: number;
}

interface Ranked {
  order: Order;
  diff: number;
  since: number;
  /** Every difference is in a count the tray itself doubts (that way). */
  fitsUpToDoubt: boolean;
}

const byDiffThenOldest = (a: Ranked, b: Ranked): number =>
  a.diff - b.diff ||
  a.since - b.since ||
  a.order.placedAt - b.order.placedAt ||
  (a.order.orderId < b.order.orderId ? -1 : a.order.orderId > b.order.orderId ? 1 : 0);

function rank(
  obs: TrayObservation,
  orders: Order[],
  menu: Menu,
  modifiers: Modifiers | undefined,
  since: (o: Order) => number,
): Ranked[] {
  return (
    orders
      .map((order) => ({ order, expansion: expandOrder(order, menu, modifiers) }))
      // an order with nothing visible cannot be recognised on a tray
      .filter((c) => !isEmpty(c.expansion.expected) || !isEmpty(c.expansion.allowance))
      .map((c) => ({
        order: c.order,
        diff: diffSize(c.expansion.expected, obs.items, c.expansion.allowance),
        since: since(c.order),
        fitsUpToDoubt: withinDoubt(
          compare(c.expansion.expected, obs.items, c.expansion.allowance),
          doubtOf(obs),
          spareOf(c.expansion),
        ),
      }))
      .sort(byDiffThenOldest)
  );
}

export function linkTray(
  obs: TrayObservation,
  candidates: LinkCandidates,
  menu: Menu,
  opts: LinkOptions,
): LinkResult {
  const ready = rank(obs, candidates.ready, menu, opts.modifiers, (o) => o.readyAt ?? o.placedAt)[0];
  // An empty tray resembles every small order equally: it is never guessed onto one.
  const open = isEmpty(obs.items) ? [] : rank(obs, candidates.open, menu, opts.modifiers, (o) => o.placedAt);
  const best = open[0];
  // Rule a (ready bump) wins, except when the tray differs from every ready order and matches an
  // open order exactly: staff often assemble the next order before bumping it, and pinning that
  // tray on the bumped one would raise a false alert on two trays at once. "Exactly" allows a
  // difference in a count the tray itself doubts (a phantom sauce cup kept a tray from its own
  // open order, and it took the order bumped for the tray beside it).
  const exact =
    best?.diff === 0 ? best : open.find((r) => r.fitsUpToDoubt && r.diff <= opts.maxBestMatchDiff);
  if (ready && !(ready.diff > 0 && !ready.fitsUpToDoubt && exact))
    return { order: ready.order, link: 'ready', diff: ready.diff };
  if (ready && exact) return { order: exact.order, link: 'best-match', diff: exact.diff };
  if (isEmpty(obs.items)) return { order: null, link: 'none', diff: 0 };
  if (best && best.diff <= opts.maxBestMatchDiff)
    return { order: best.order, link: 'best-match', diff: best.diff };
  return { order: null, link: 'none', diff: 0 };
}

export interface CandidateOptions {
  now: number;
  bestMatchWindowMin: number;
  /** Orders already linked to another tray still in view. */
  taken?: ReadonlySet<string>;
}

const stationMatches = (order: Order, station: string | null): boolean =>
  order.station == null || station == null || order.station === station;

/** Splits the known orders into the candidates of rules a and b for this tray. */
export function selectCandidates(
  obs: TrayObservation,
  orders: readonly Order[],
  opts: CandidateOptions,
): LinkCandidates {
  const free = orders.filter((o) => !opts.taken?.has(o.orderId));
  const windowStart = opts.now - opts.bestMatchWindowMin * 60_000;
  return {
    ready: free.filter((o) => o.status === 'ready' && stationMatches(o, obs.station)),
    open: free.filter((o) => o.status === 'open' && o.placedAt >= windowStart),
  };
}
