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

  it('a tray matching its order exactly is never exchanged', () => {
    const { v, relinked } = verifier(3000);
    v.verify(
      tray({ wrap: 1, salad: 1, drink: 1 }, { trayId: 'expo-1', ts: NOW - 500 }),
      [O1(), O2()],
      NOW - 500,
    );
    expect(v.verify(T2, [O1()], NOW)).toMatchObject({ orderId: '1001' });
    expect(relinked).toEqual([]);
  });
});
