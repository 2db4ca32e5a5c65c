// Joint linking: two wrong trays settling together are linked so the total difference is least,
// not each to whatever the first to settle looked most like.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/types.js';
import { createVerifier } from '../../src/verify/verifier.js';
import { MENU, NOW, order, tray } from './fixtures.js';

const O1 = () => order('1001', [['COMBO1', 1]], { readyMinAgo: 2 }); // burger, fries, drink
const O2 = () =>
  order(
    '1002',
    [
      ['WRAP', 1],
      ['SALAD', 1],
      ['DRINK', 1],
    ],
    { readyMinAgo: 1 },
  );
// T1 (for 1001) is missing its fries and carries a salad and a wrap: it looks more like 1002.
const T1 = tray({ burger: 1, drink: 1, salad: 1, wrap: 1 }, { trayId: 'expo-1', ts: NOW - 500 });
// T2 (for 1002) has an extra dessert: far from 1001.
const T2 = tray({ wrap: 1, salad: 1, drink: 1, dessert: 1 }, { trayId: 'expo-2', ts: NOW });

function verifier(jointLinkWindowMs: number) {
  const relinked: Verdict[] = [];
  const v = createVerifier({
    menu: MENU,
    config: { bestMatchWindowMin: 30, maxBestMatchDiff: 3, jointLinkWindowMs },
    onRelinked: (verdict) => relinked.push(verdict),
  });
  return { v, relinked };
}

describe('joint linking of trays that settle together', () => {
  it('exchanges the orders of two wrong trays when that lowers the total difference (6 → 5)', () => {
    const { v, relinked } = verifier(3000);
    const first = v.verify(T1, [O1(), O2()], NOW - 500);
    expect(first).toMatchObject({ orderId: '1002', result: 'mismatch' }); // greedy: T1 takes 1002
    const second = v.verify(T2, [O1()], NOW);
    expect(second).toMatchObject({ orderId: '1002', result: 'mismatch', extra: { dessert: 1 } });
    expect(relinked).toHaveLength(1);
    expect(relinked[0]).toMatchObject({ trayId: 'expo-1', orderId: '1001', result: 'mismatch' });
    expect(v.linkOf('expo-1')?.orderId).toBe('1001');
    expect(v.linkOf('expo-2')?.orderId).toBe('1002');
  });

  it('trays that did not settle together keep their links', () => {
    const { v, relinked } = verifier(300);
    v.verify(T1, [O1(), O2()], NOW - 500);
    expect(v.verify(T2, [O1()], NOW)).toMatchObject({ orderId: '1001' });
    expect(relinked).toEqual([]);
  });

  it('a tie goes to the bump order: a tray matching its order exactly, settled in bump order, keeps it', () => {
    // expo-1 matches 1002 exactly; T2 on 1001 differs by 5, as the exchange would (4 + 1). 1002 was
    // bumped first and expo-1 settled first: the trays are in bump order already.
    const { v, relinked } = verifier(3000);
    const O1later = order('1001', [['COMBO1', 1]], { readyMinAgo: 1 });
    const O2first = order(
      '1002',
      [
        ['WRAP', 1],
        ['SALAD', 1],
        ['DRINK', 1],
      ],
      { readyMinAgo: 2 },
    );
    v.verify(
      tray({ wrap: 1, salad: 1, drink: 1 }, { trayId: 'expo-1', ts: NOW - 500 }),
      [O1later, O2first],
      NOW - 500,
    );
    expect(v.verify(T2, [O1later], NOW)).toMatchObject({ orderId: '1001' });
    expect(relinked).toEqual([]);
  });

  it('a tie goes to the bump order: the tray that settled first takes the order bumped first, even from an exact match', () => {
    // Seed 20's T1170: 1170 (a burger) bumped, then 1171 (a drink); 1170's tray, a drink instead
    // of the burger, settled first and matched 1171 exactly; 1171's tray, its drink and an extra
    // nuggets, then took 1170 (3 items off). Exchanged, 2 + 1 items off: each tray's error is
    // raised on its own order.
    const { v, relinked } = verifier(3000);
    const burger = order('1170', [['BURGER', 1]], { readyMinAgo: 0.02 });
    const drink = order('1171', [['DRINK', 1]], { readyMinAgo: 0.01 });
    const first = v.verify(
      tray({ drink: 1 }, { trayId: 'expo-1', ts: NOW - 1000 }),
      [burger, drink],
      NOW - 1000,
    );
    expect(first).toMatchObject({ orderId: '1171', result: 'ok' });
    const second = v.verify(tray({ drink: 1, nuggets: 1 }, { trayId: 'expo-2', ts: NOW }), [burger], NOW);
    expect(second).toMatchObject({ orderId: '1171', result: 'mismatch', extra: { nuggets: 1 } });
    expect(relinked).toHaveLength(1);
    expect(relinked[0]).toMatchObject({
      trayId: 'expo-1',
      orderId: '1170',
      result: 'mismatch',
      missing: { burger: 1 },
      extra: { drink: 1 },
    });
  });

  it('with no bump order to go by (an order not bumped), a tie keeps the links', () => {
    const { v, relinked } = verifier(3000);
    const burger = order('1170', [['BURGER', 1]], { readyMinAgo: 0.02 });
    const drink = order('1171', [['DRINK', 1]], { status: 'open', placedMinAgo: 1 });
    v.verify(tray({ drink: 1 }, { trayId: 'expo-1', ts: NOW - 1000 }), [burger, drink], NOW - 1000);
    expect(
      v.verify(tray({ drink: 1, nuggets: 1 }, { trayId: 'expo-2', ts: NOW }), [burger], NOW),
    ).toMatchObject({
      orderId: '1170',
    });
    expect(relinked).toEqual([]);
  });
});
