// The KDS bump order tells same-spot successors apart: a tray back at its spot looking as before
// is the next order's tray when an order it fits was bumped at its station since it was reported.
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/types.js';
import { createVerifier } from '../../src/verify/verifier.js';
import { MENU, MIN, NOW, order, tray } from './fixtures.js';

const MEAL = { burger: 1, fries: 1, drink: 1 };
const SETTLED = NOW - 2 * MIN;

/** Tray expo-1 verdicted ok on order 1001; `alsoReady` were bumped ready by then too. */
function verified(alsoReady: Order[] = []) {
  const v = createVerifier({
    menu: MENU,
    config: { bestMatchWindowMin: 30, maxBestMatchDiff: 3, jointLinkWindowMs: 3000 },
  });
  const first = order('1001', [['COMBO1', 1]], { readyMinAgo: 3 });
  expect(v.verify(tray(MEAL, { ts: SETTLED }), [first, ...alsoReady], SETTLED)).toMatchObject({
    orderId: '1001',
    result: 'ok',
  });
  // The wiring marks it verified: it is no longer ready.
  return { v, first: { ...first, status: 'verified' } as Order };
}

const query = (items = MEAL, station: string | null = 'expo') => ({
  trayId: 'expo-1',
  station,
  sinceTs: SETTLED,
  items,
});

describe('nextOrderBumped', () => {
  it('an identical order bumped after the tray was reported: yes', () => {
    const { v, first } = verified();
    const next = order('1002', [['COMBO1', 1]], { readyMinAgo: 1 });
    expect(v.nextOrderBumped(query(), [first, next])).toBe(true);
  });

  it('bumped before the tray was verdicted, at another station, or not ready: no', () => {
    // By the order of bumps, not by timestamps: 1002 was ready when the tray got its verdict.
    const early = order('1002', [['COMBO1', 1]], { readyMinAgo: 0.5 });
    const { v, first } = verified([early]);
    const elsewhere = order('1003', [['COMBO1', 1]], { readyMinAgo: 1, station: 'drive' });
    const open = order('1004', [['COMBO1', 1]], { status: 'open', readyMinAgo: null });
    expect(v.nextOrderBumped(query(), [first, early, elsewhere, open])).toBe(false);
  });

  it('a bumped order the tray does not fit as well as its own: no', () => {
    const { v, first } = verified();
    const other = order('1002', [['WRAP', 1]], { readyMinAgo: 1 });
    expect(v.nextOrderBumped(query(), [first, other])).toBe(false);
  });

  it('an order another tray in view holds, or a tray never linked: no', () => {
    const { v, first } = verified();
    const next = order('1002', [['COMBO1', 1]], { readyMinAgo: 1 });
    v.verify(tray(MEAL, { trayId: 'expo-2', ts: NOW - MIN }), [next], NOW - MIN);
    expect(v.nextOrderBumped(query(), [first, next])).toBe(false);
    expect(v.nextOrderBumped({ ...query(), trayId: 'expo-9' }, [first, next])).toBe(false);
  });
});

describe('rule a exception, up to the counts the tray doubts', () => {
  const v = () =>
    createVerifier({
      menu: MENU,
      config: { bestMatchWindowMin: 30, maxBestMatchDiff: 3, jointLinkWindowMs: 3000 },
    });
  // The tray beside it had its order bumped; this one's order is open (not bumped yet).
  const bumped = order(
    '1172',
    [
      ['WRAP', 1],
      ['FRIES', 1],
      ['DRINK', 1],
    ],
    { readyMinAgo: 0.1 },
  );
  const own = order(
    '1171',
    [
      ['NUGGETS6', 1],
      ['FRIES', 1],
    ],
    { status: 'open', readyMinAgo: null },
  );

  it('a phantom sauce (doubted) does not keep the tray from its own open order', () => {
    const obs = tray({ nuggets: 1, fries: 1, sauce: 1 }, { uncertain: ['sauce'] });
    expect(v().verify(obs, [bumped, own], NOW)).toMatchObject({
      orderId: '1171',
      link: 'best-match',
      result: 'uncertain',
    });
  });

  it('an undoubted extra sauce: the bumped order still wins (rule a)', () => {
    const obs = tray({ nuggets: 1, fries: 1, sauce: 1 });
    expect(v().verify(obs, [bumped, own], NOW)).toMatchObject({ orderId: '1172', link: 'ready' });
  });

  it('a sauce doubted only downwards excuses an extra, not a missing one', () => {
    const obs = tray({ nuggets: 1, fries: 1 }, { uncertain: ['sauce'], countDoubt: { sauce: 'fewer' } });
    const withSauce = order(
      '1171',
      [
        ['NUGGETS6', 1],
        ['FRIES', 1],
        ['DIP', 1],
      ],
      {
        status: 'open',
        readyMinAgo: null,
      },
    );
    expect(v().verify(obs, [bumped, withSauce], NOW)).toMatchObject({ orderId: '1172', link: 'ready' });
  });
});
