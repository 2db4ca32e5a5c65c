// Menu items of a label the store is still teaching: unchecked until the running model knows the
// label, checked from the next order after it does (src/menu/new-labels.ts), and the start-up
// check that lets the menu use the store's new labels only.
import { describe, expect, it } from 'vitest';
import type { Menu } from '../../src/config/schema.js';
import { checkMenuLabels } from '../../src/detect/labels.js';
import { expandOrder, menuWithNewLabels } from '../../src/menu/index.js';

const BASE = ['tray', 'burger', 'fries', 'drink', 'hand'];
const menu: Menu = {
  HOTDOG: { name: 'Hot dog', contains: { hotdog: 1 }, verify: true },
  DOGMEAL: { name: 'Hot dog meal', contains: { hotdog: 1, fries: 1, drink: 1 }, verify: true },
  FRIES: { name: 'Fries', contains: { fries: 1 }, verify: true },
  GIFT: { name: 'Gift card', contains: {}, verify: false },
  SOON: { name: 'Not yet sold', contains: { hotdog: 1 }, verify: false },
};
const order = {
  items: [
    { sku: 'DOGMEAL', qty: 1 },
    { sku: 'HOTDOG', qty: 2 },
    { sku: 'FRIES', qty: 1 },
  ],
};

describe('menu items of a new label', () => {
  it('are unverifiable while the model lacks the label and checked once it has it, in the same menu object', () => {
    let labels = BASE;
    const live = menuWithNewLabels(menu, ['hotdog'], () => labels);
    const before = expandOrder(order, live);
    expect(before.expected).toEqual({ fries: 1 });
    expect(before.unverifiable.map((u) => [u.sku, u.qty, u.reason])).toEqual([
      ['DOGMEAL', 1, 'not-checkable'],
      ['HOTDOG', 2, 'not-checkable'],
    ]);
    labels = [...BASE, 'hotdog'];
    const after = expandOrder(order, live);
    expect(after.expected).toEqual({ hotdog: 3, fries: 2, drink: 1 });
    expect(after.unverifiable).toEqual([]);
    // An item the technician marked verify: false stays so.
    expect(expandOrder({ items: [{ sku: 'SOON', qty: 1 }] }, live).expected).toEqual({});
  });

  it('leaves the menu as it is when the store has no new labels', () => {
    expect(menuWithNewLabels(menu, [], () => BASE)).toBe(menu);
  });

  it('passes the start-up check only for labels the store created', () => {
    expect(checkMenuLabels(menu, BASE)).toEqual(['hotdog']);
    expect(checkMenuLabels(menu, BASE, ['hotdog'])).toEqual([]);
    const typo: Menu = { ...menu, CHIPS: { name: 'Chips', contains: { chips: 1 }, verify: true } };
    expect(checkMenuLabels(typo, BASE, ['hotdog'])).toEqual(['chips']);
  });
});
