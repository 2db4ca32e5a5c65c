import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/types.js';
import { createVerifier } from '../../src/verify/verifier.js';
import { MENU, NOW, order, tray } from './fixtures.js';

const MEAL = { burger: 1, fries: 1, drink: 1 };
const verifier = () =>
  createVerifier({
    menu: MENU,
    config: { bestMatchWindowMin: 30, maxBestMatchDiff: 3, jointLinkWindowMs: 3000 },
    modelSha256: () => 'sha',
  });

describe('createVerifier', () => {
  it('a corrected tray stays linked to its order after the order left the ready state', () => {
    const v = verifier();
    const o = order('1001', [['COMBO1', 1]]);
    const first = v.verify(tray({ burger: 1, drink: 1 }), [o], NOW);
    expect(first).toMatchObject({ orderId: '1001', link: 'ready', result: 'mismatch', modelSha256: 'sha' });
    // the wiring marks the order; a later ready order must not steal the tray
    const marked: Order = { ...o, status: 'mismatch' };
    const next = order('1002', [['COMBO1', 1]], { readyMinAgo: 0 });
    const second = v.verify(tray(MEAL, { phase: 'changed' }), [marked, next], NOW + 3000);
    expect(second).toMatchObject({ orderId: '1001', link: 'ready', result: 'ok' });
    expect(v.linkOf('expo-1')).toEqual({
      orderId: '1001',
      orderVersion: 1,
      link: 'ready',
      expected: MEAL,
      result: 'ok',
    });
  });

  it('keeps the link when the caller passes only the current candidates (the linked order left them)', () => {
    const v = verifier();
    const o = order('1001', [['COMBO1', 1]]);
    expect(v.verify(tray({ burger: 1, drink: 1 }), [o], NOW)).toMatchObject({
      orderId: '1001',
      result: 'mismatch',
    });
    const next = order('1002', [['COMBO1', 1]], { readyMinAgo: 0 });
    expect(v.verify(tray(MEAL, { phase: 'changed' }), [next], NOW + 3000)).toMatchObject({
      orderId: '1001',
      link: 'ready',
      result: 'ok',
    });
    // another tray still gets the other order
    expect(v.verify(tray(MEAL, { trayId: 'expo-2' }), [next], NOW + 3000)).toMatchObject({
      orderId: '1002',
      result: 'ok',
    });
  });

  it('two trays in view never share an order', () => {
    const v = verifier();
    const orders = [order('A', [['COMBO1', 1]])];
    expect(v.verify(tray(MEAL, { trayId: 'expo-1' }), orders, NOW)?.orderId).toBe('A');
    expect(v.verify(tray(MEAL, { trayId: 'expo-2' }), orders, NOW)).toMatchObject({
      orderId: null,
      result: 'unlinked',
    });
    // once the first tray departs its order is free again
    expect(v.verify(tray(MEAL, { trayId: 'expo-1', phase: 'departed' }), orders, NOW)).toBeNull();
    expect(v.linkOf('expo-1')).toBeNull();
    expect(v.verify(tray(MEAL, { trayId: 'expo-3' }), orders, NOW)?.orderId).toBe('A');
  });

  it('two ready orders, trays arriving in the other order', () => {
    const v = verifier();
    const orders = [
      order('A', [['COMBO1', 1]], { readyMinAgo: 2 }),
      order(
        'B',
        [
          ['WRAP', 1],
          ['DRINK', 1],
        ],
        { readyMinAgo: 1 },
      ),
    ];
    expect(v.verify(tray({ wrap: 1, drink: 1 }, { trayId: 'expo-1' }), orders, NOW)).toMatchObject({
      orderId: 'B',
      result: 'ok',
    });
    expect(v.verify(tray(MEAL, { trayId: 'expo-2' }), orders, NOW)).toMatchObject({
      orderId: 'A',
      result: 'ok',
    });
  });

  it('an order updated after verification is re-verified against the new version', () => {
    const v = verifier();
    const v1 = order('1001', [['COMBO1', 1]]);
    expect(v.verify(tray(MEAL), [v1], NOW)?.result).toBe('ok');
    const verified: Order = { ...v1, status: 'verified' };
    // a status change alone does not re-verify
    expect(v.reverify(verified, [verified], NOW + 1000)).toEqual([]);
    const v2: Order = { ...verified, version: 2, items: [...v1.items, { sku: 'SALAD', qty: 1 }] };
    const again = v.reverify(v2, [verified], NOW + 2000);
    expect(again).toEqual([
      expect.objectContaining({
        trayId: 'expo-1',
        orderId: '1001',
        orderVersion: 2,
        result: 'mismatch',
        missing: { salad: 1 },
        ts: NOW + 2000,
      }),
    ]);
    expect(v.reverify(v2, [v2], NOW + 3000)).toEqual([]);
    // an unrelated order changes nothing
    expect(v.reverify({ ...order('9', [['BURGER', 1]]), version: 5 }, [v2], NOW + 3000)).toEqual([]);
  });

  it('a cancelled order releases its tray, which links afresh', () => {
    const v = verifier();
    const a = order('A', [['COMBO1', 1]]);
    v.verify(tray(MEAL), [a], NOW);
    const cancelled: Order = { ...a, status: 'cancelled', version: 2 };
    const spare = order('S', [['COMBO1', 1]], { status: 'open' });
    expect(v.reverify(cancelled, [spare], NOW + 1000)).toEqual([
      expect.objectContaining({ orderId: 'S', link: 'best-match', result: 'ok' }),
    ]);
  });

  it('an empty unlinked tray gives no verdict and is not remembered', () => {
    const v = verifier();
    expect(v.verify(tray({}), [], NOW)).toBeNull();
    expect(v.linkOf('expo-1')).toBeNull();
  });

  describe('relink: two trays settling together', () => {
    // Order 1174 (a drink) is bumped ready; 1173 (a burger meal) is not. Tray 1 holds fries and
    // a drink (1173 without its burger) and settles first: rule a gives it 1174 (one extra fries).
    // Tray 2 holds a wrap (1174 made wrong) and finds nothing: the links swap.
    const setup = () => {
      const relinked: Array<{ trayId: string; orderId: string | null; result: string }> = [];
      const v = createVerifier({
        menu: MENU,
        config: { bestMatchWindowMin: 30, maxBestMatchDiff: 3, jointLinkWindowMs: 3000 },
        onRelinked: (verdict) =>
          relinked.push({ trayId: verdict.trayId, orderId: verdict.orderId, result: verdict.result }),
      });
      const meal = order('1173', [['COMBO1', 1]], { status: 'open' });
      const drink = order('1174', [['DRINK', 1]], { readyMinAgo: 0 });
      return { v, relinked, meal, drink };
    };

    it('swaps the links when that lowers the total difference, and re-judges the other tray', () => {
      const { v, relinked, meal, drink } = setup();
      expect(v.verify(tray({ fries: 1, drink: 1 }, { trayId: 'expo-1' }), [meal, drink], NOW)).toMatchObject({
        orderId: '1174',
        link: 'ready',
        extra: { fries: 1 },
      });
      // the wiring marked 1174 verified: only 1173 is still a candidate
      const second = v.verify(tray({ wrap: 1 }, { trayId: 'expo-2' }), [meal], NOW + 800);
      expect(second).toMatchObject({
        orderId: '1174',
        link: 'ready',
        result: 'mismatch',
        missing: { drink: 1 },
        extra: { wrap: 1 },
      });
      expect(relinked).toEqual([{ trayId: 'expo-1', orderId: '1173', result: 'mismatch' }]);
      expect(v.linkOf('expo-1')).toMatchObject({ orderId: '1173', link: 'best-match' });
      expect(v.linkOf('expo-2')).toMatchObject({ orderId: '1174' });
      // the first tray now keeps 1173 while it is fixed
      expect(
        v.verify(
          tray({ burger: 1, fries: 1, drink: 1 }, { trayId: 'expo-1', phase: 'changed' }),
          [],
          NOW + 3000,
        ),
      ).toMatchObject({
        orderId: '1173',
        result: 'ok',
      });
    });

    it('never takes an order from a tray that matches it exactly', () => {
      const { v, relinked, meal } = setup();
      const drink = order('1174', [['DRINK', 1]], { readyMinAgo: 0 });
      expect(v.verify(tray({ drink: 1 }, { trayId: 'expo-1' }), [meal, drink], NOW)?.result).toBe('ok');
      expect(v.verify(tray({ wrap: 1 }, { trayId: 'expo-2' }), [meal], NOW + 800)?.result).toBe('unlinked');
      expect(relinked).toEqual([]);
    });

    it('does not swap when the other tray would be left without an order', () => {
      const { v, relinked, drink } = setup();
      expect(v.verify(tray({ fries: 1, drink: 1 }, { trayId: 'expo-1' }), [drink], NOW)?.orderId).toBe(
        '1174',
      );
      expect(v.verify(tray({ wrap: 1 }, { trayId: 'expo-2' }), [], NOW + 800)?.result).toBe('unlinked');
      expect(relinked).toEqual([]);
      expect(v.linkOf('expo-1')?.orderId).toBe('1174');
    });

    it('does not swap trays of different cameras', () => {
      const { v, relinked, meal, drink } = setup();
      v.verify(tray({ fries: 1, drink: 1 }, { trayId: 'expo-1' }), [meal, drink], NOW);
      const other = v.verify(tray({ wrap: 1 }, { trayId: 'drive-1', cameraId: 'drive' }), [meal], NOW + 800);
      expect(other?.result).toBe('unlinked');
      expect(relinked).toEqual([]);
    });
  });
});
