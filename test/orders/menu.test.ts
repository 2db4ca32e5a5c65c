import { describe, expect, it } from 'vitest';
import type { Menu } from '../../src/config/schema.js';
import { expandOrder } from '../../src/orders/menu.js';
import type { OrderLine } from '../../src/types.js';

const menu: Menu = {
  COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 }, verify: true },
  NUGGETS6: { name: '6 Nuggets', contains: { nuggets: 1 }, verify: true },
  FRIES: { name: 'Fries', contains: { fries: 1 }, verify: true },
  DIP2: { name: 'Two dips', contains: { sauce: 2 }, verify: true },
  BAG: { name: 'Paper bag', contains: {}, verify: true },
  ZERO: { name: 'Nothing visible', contains: { burger: 0 }, verify: true },
  GIFT_CARD: { name: 'Gift card', contains: {}, verify: false },
  SAUCE_BAG: { name: 'Sauce in a bag', contains: { sauce: 1 }, verify: false },
};

const line = (sku: string, qty = 1, modifiers?: string[]): OrderLine => ({
  sku,
  qty,
  ...(modifiers ? { modifiers } : {}),
});

describe('expandOrder', () => {
  it.each<[string, OrderLine[], ReturnType<typeof expandOrder>]>([
    ['empty order', [], { expected: {}, unverifiable: [], unknownSkus: [] }],
    [
      'one combo',
      [line('COMBO1')],
      { expected: { burger: 1, fries: 1, drink: 1 }, unverifiable: [], unknownSkus: [] },
    ],
    [
      'qty multiplies',
      [line('COMBO1', 3)],
      { expected: { burger: 3, fries: 3, drink: 3 }, unverifiable: [], unknownSkus: [] },
    ],
    [
      'labels add up across lines',
      [line('COMBO1'), line('FRIES', 2)],
      { expected: { burger: 1, fries: 3, drink: 1 }, unverifiable: [], unknownSkus: [] },
    ],
    ['contains counts > 1', [line('DIP2', 3)], { expected: { sauce: 6 }, unverifiable: [], unknownSkus: [] }],
    [
      'verify: false',
      [line('GIFT_CARD'), line('NUGGETS6', 2)],
      { expected: { nuggets: 2 }, unverifiable: ['GIFT_CARD × 1 (not checkable)'], unknownSkus: [] },
    ],
    [
      'verify: false with contains',
      [line('SAUCE_BAG', 2)],
      { expected: {}, unverifiable: ['SAUCE_BAG × 2 (not checkable)'], unknownSkus: [] },
    ],
    [
      'nothing visible',
      [line('BAG'), line('ZERO')],
      {
        expected: {},
        unverifiable: ['BAG × 1 (not checkable)', 'ZERO × 1 (not checkable)'],
        unknownSkus: [],
      },
    ],
    [
      'unknown SKU kept as a line',
      [line('MYSTERY', 2), line('FRIES')],
      { expected: { fries: 1 }, unverifiable: ['MYSTERY × 2 (unknown SKU)'], unknownSkus: ['MYSTERY'] },
    ],
    [
      'repeated unknown SKU summed once',
      [line('X', 1), line('X', 2), line('Y')],
      { expected: {}, unverifiable: ['X × 3 (unknown SKU)', 'Y × 1 (unknown SKU)'], unknownSkus: ['X', 'Y'] },
    ],
    [
      'a zero quantity expects nothing (the verifier and the orders stage agree)',
      [line('COMBO1', 0), line('FRIES')],
      { expected: { fries: 1 }, unverifiable: [], unknownSkus: [] },
    ],
    [
      'modifiers ignored',
      [line('COMBO1', 1, ['no fries'])],
      { expected: { burger: 1, fries: 1, drink: 1 }, unverifiable: [], unknownSkus: [] },
    ],
    [
      'prototype keys are not menu items',
      [line('constructor'), line('__proto__')],
      {
        expected: {},
        unverifiable: ['constructor × 1 (unknown SKU)', '__proto__ × 1 (unknown SKU)'],
        unknownSkus: ['constructor', '__proto__'],
      },
    ],
  ])('%s', (_name, items, want) => {
    expect(expandOrder({ items }, menu)).toEqual(want);
  });
});
