// One verdict for one settled (or changed) tray: link it to an order, compare, decide.
import type { Menu, Modifiers } from '../config/schema.js';
import { expandOrder, lineText, unverifiableText } from '../menu/index.js';
import type { LinkMethod, Order, TrayObservation, Verdict, VerdictResult } from '../types.js';
import {
  compare,
  type Difference,
  differenceLeft,
  doubtOf,
  isEmpty,
  type Relabelled,
  relabelled,
  spareOf,
  unexcused,
} from './compare.js';
import { linkTray, selectCandidates } from './link.js';

export interface VerifyOptions {
  now: number;
  bestMatchWindowMin: number;
  maxBestMatchDiff: number;
  /** The config's `modifiers` section (a line with a modifier not in it is unverifiable). */
  modifiers?: Modifiers;
  modelSha256?: string;
  /** The link of this tray's previous verdict: a tray keeps its order while it stays in view. */
  previous?: { orderId: string | null; link: LinkMethod } | null;
  /** Orders linked to other trays still in view: not candidates for this one. */
  taken?: ReadonlySet<string>;
}

/**
 * Verdict for a settled or changed tray; null for a departed tray and for an empty tray that
 * links to no order (nothing to say about it).
 */
export function verifyTray(
  obs: TrayObservation,
  orders: readonly Order[],
  menu: Menu,
  opts: VerifyOptions,
): Verdict | null {
  if (obs.phase === 'departed') return null;
  let order: Order | null = null;
  let link: LinkMethod = 'none';
  const kept = opts.previous?.orderId ? orders.find((o) => o.orderId === opts.previous?.orderId) : undefined;
  if (kept && opts.previous && kept.status !== 'cancelled') {
    order = kept;
    link = opts.previous.link;
  } else {
    const candidates = selectCandidates(obs, orders, opts);
    const linked = linkTray(obs, candidates, menu, opts);
    order = linked.order;
    link = linked.link;
  }
  if (!order && isEmpty(obs.items)) return null;

  const base = {
    trayId: obs.trayId,
    cameraId: obs.cameraId,
    observed: { ...obs.items },
    uncertain: [...obs.uncertain],
    ts: opts.now,
    settledTs: obs.ts,
    modelSha256: opts.modelSha256,
    snapshotId: obs.snapshotId ?? null,
    ...(obs.inferred ? { trayInferred: true } : {}),
  };
  if (!order) {
    return {
      ...base,
      orderId: null,
      orderVersion: null,
      link: 'none',
      result: 'unlinked',
      expected: {},
      missing: {},
      extra: {},
      unverifiable: [],
    };
  }
  const expansion = expandOrder(order, menu, opts.modifiers);
  const { missing, extra } = compare(expansion.expected, obs.items, expansion.allowance);
  const r = relabelled({ missing, extra }, doubtOf(obs), spareOf(expansion));
  let result = decide({ missing, extra }, r);
  const unidentified = obs.unidentified ?? 0;
  if (result === 'mismatch' && unidentified > 0) {
    // The tray holds items the model cannot name (a still "hand"): a shortage of up to that many,
    // beyond what the count evidence already doubts, may be them. Uncertain; the missing labels
    // are the doubted ones.
    const short = Object.entries(r.diff.missing).reduce(
      (a, [l, n]) => a + unexcused(l, n, 'more', r.uncertain, r.oneWay),
      0,
    );
    const extraUnexcused = Object.entries(r.diff.extra).some(
      ([l, n]) => unexcused(l, n, 'fewer', r.uncertain, r.oneWay) > 0,
    );
    if (!extraUnexcused && short <= unidentified) {
      result = 'uncertain';
      base.uncertain = [...new Set([...base.uncertain, ...Object.keys(missing)])].sort();
    }
  }
  return {
    ...base,
    orderId: order.orderId,
    orderVersion: order.version,
    link,
    result,
    expected: expansion.expected,
    missing,
    extra,
    unverifiable: unverifiableText(expansion.unverifiable),
    lines: order.items.map((l) => lineText(l, menu, opts.modifiers)),
  };
}

/**
 * ok when nothing differs; uncertain when every difference lies in a label whose count was in
 * doubt that way (missing: maybe more are there; extra: maybe fewer are), or was explained by
 * reading a flagged item as its rival (`relabelled`), else mismatch.
 */
function decide(d: Difference, r: Relabelled): VerdictResult {
  if (isEmpty(d.missing) && isEmpty(d.extra)) return 'ok';
  return differenceLeft(r) ? 'mismatch' : 'uncertain';
}
