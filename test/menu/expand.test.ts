import { describe, expect, it } from 'vitest';
import type { Menu, Modifiers } from '../../src/config/schema.js';
import {
  expandOrder,
  lineText,
  modifierCode,
  unverifiableText,
  type Expansion,
} from '../../src/menu/index.js';
import type { OrderLine } from '../../src/types.js';

const menu: Menu = {
  COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 }, verify: true },
  NUGGETS6: { name: '6 Nuggets', contains: { nuggets: 1 }, verify: true },
  FRIES: { name: 'Fries', contains: { fries: 1 }, verify: true },
  DRINK: { name: 'Drink', contains: { drink: 1 }, verify: true },
  DIP2: { name: 'Two dips', contains: { sauce: 2 }, verify: true },
  BAG: { name: 'Paper bag', contains: {}, verify: true },
  ZERO: { name: 'Nothing visible', contains: { burger: 0 }, verify: true },
  GIFT_CARD: { name: 'Gift card', contains: {}, verify: false },
  SAUCE_BAG: { name: 'Sauce in a bag', contains: { sauce: 1 }, verify: false },
};

const modifiers: Modifiers = {
  no_drink: { change: { drink: -1 } },
  extra_sauce: { name: 'extra dip', change: { sauce: 1 } },
  add_fries: { change: { fries: 1 } },
  no_pickles: { change: {} },
};

const line = (sku: string, qty = 1, mods?: string[]): OrderLine => ({
  sku,
  qty,
  ...(mods ? { modifiers: mods } : {}),
});

const none = { allowance: {}, unverifiable: [], unknownSkus: [], unknownModifiers: [] };
const nc = (sku: string, qty: number, mods: string[] = []) => ({
  sku,
  qty,
  modifiers: mods,
  reason: 'not-checkable' as const,
});

describe('expandOrder', () => {
  it.each<[string, OrderLine[], Expansion]>([
    ['empty order', [], { expected: {}, ...none }],
    ['one combo', [line('COMBO1')], { expected: { burger: 1, fries: 1, drink: 1 }, ...none }],
    ['qty multiplies', [line('COMBO1', 3)], { expected: { burger: 3, fries: 3, drink: 3 }, ...none }],
    [
      'labels add up across lines',
      [line('COMBO1'), line('FRIES', 2)],
      { expected: { burger: 1, fries: 3, drink: 1 }, ...none },
    ],
    ['contains counts > 1', [line('DIP2', 3)], { expected: { sauce: 6 }, ...none }],
    [
      'verify: false',
      [line('GIFT_CARD'), line('NUGGETS6', 2)],
      { expected: { nuggets: 2 }, ...none, unverifiable: [nc('GIFT_CARD', 1)] },
    ],
    [
      'verify: false with contains',
      [line('SAUCE_BAG', 2)],
      { expected: {}, ...none, unverifiable: [nc('SAUCE_BAG', 2)] },
    ],
    [
      'nothing visible',
      [line('BAG'), line('ZERO')],
      { expected: {}, ...none, unverifiable: [nc('BAG', 1), nc('ZERO', 1)] },
    ],
    [
      'repeated unknown SKU summed once',
      [line('X', 1), line('X', 2), line('Y'), line('FRIES')],
      {
        expected: { fries: 1 },
        ...none,
        unverifiable: [
          { sku: 'X', qty: 3, modifiers: [], reason: 'unknown-sku' },
          { sku: 'Y', qty: 1, modifiers: [], reason: 'unknown-sku' },
        ],
        unknownSkus: ['X', 'Y'],
      },
    ],
    [
      'a zero quantity expects nothing',
      [line('COMBO1', 0), line('FRIES')],
      { expected: { fries: 1 }, ...none },
    ],
    [
      'a known modifier removes an item per unit',
      [line('COMBO1', 2, ['no_drink'])],
      { expected: { burger: 2, fries: 2 }, ...none },
    ],
    [
      'POS spellings of a code are one modifier; two modifiers add up',
      [line('COMBO1', 1, ['No Drink', 'extra-sauce', 'add_fries'])],
      { expected: { burger: 1, fries: 2, sauce: 1 }, ...none },
    ],
    [
      'a modifier removes at most what the item has',
      [line('FRIES', 1, ['no_drink']), line('DRINK')],
      { expected: { fries: 1, drink: 1 }, ...none },
    ],
    [
      'a known invisible modifier keeps the line checkable',
      [line('COMBO1', 1, ['no_pickles'])],
      {
        expected: { burger: 1, fries: 1, drink: 1 },
        ...none,
      },
    ],
    [
      'a line left with nothing visible is not checkable',
      [line('DRINK', 1, ['no_drink']), line('FRIES')],
      { expected: { fries: 1 }, ...none, unverifiable: [nc('DRINK', 1, ['no_drink'])] },
    ],
    [
      'an unknown modifier keeps the line as unverifiable: its items allowed, not required',
      [line('COMBO1', 1, ['no ice']), line('FRIES')],
      {
        expected: { fries: 1 },
        allowance: { burger: 1, fries: 1, drink: 1 },
        unverifiable: [{ sku: 'COMBO1', qty: 1, modifiers: ['no ice'], reason: 'unknown-modifier' }],
        unknownSkus: [],
        unknownModifiers: ['no ice'],
      },
    ],
    [
      'prototype keys are neither menu items nor modifiers',
      [line('constructor'), line('FRIES', 1, ['__proto__'])],
      {
        expected: {},
        allowance: { fries: 1 },
        unverifiable: [
          { sku: 'constructor', qty: 1, modifiers: [], reason: 'unknown-sku' },
          { sku: 'FRIES', qty: 1, modifiers: ['__proto__'], reason: 'unknown-modifier' },
        ],
        unknownSkus: ['constructor'],
        unknownModifiers: ['__proto__'],
      },
    ],
  ])('%s', (_name, items, want) => {
    expect(expandOrder({ items }, menu, modifiers)).toEqual(want);
  });

  it('without a modifiers mapping every modifier makes its line unverifiable, never ignored', () => {
    const e = expandOrder({ items: [line('COMBO1', 1, ['no_drink'])] }, menu);
    expect(e.expected).toEqual({});
    expect(unverifiableText(e.unverifiable)).toEqual(['COMBO1 (no_drink)']);
  });
});

describe('line text', () => {
  it.each([
    [line('COMBO1', 1, ['no_drink']), 'Burger Meal, no drink'],
    [line('COMBO1', 2, ['NO DRINK', 'extra_sauce']), '2 × Burger Meal, no drink, extra dip'],
    [line('FRIES', 1, ['light salt ']), 'Fries, light salt'],
    [line('MYSTERY', 3), '3 × MYSTERY'],
  ])('%j → %s', (l, text) => {
    expect(lineText(l, menu, modifiers)).toBe(text);
  });

  it('modifier codes are lower-case with underscores', () => {
    expect(modifierCode(' Extra-Sauce ')).toBe('extra_sauce');
  });
});
