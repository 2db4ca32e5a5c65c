import { describe, expect, it } from 'vitest';
import { compare, diffSize } from '../../src/verify/compare.js';
import { expandOrder, unverifiableText } from '../../src/menu/index.js';
import type { LabelCounts } from '../../src/types.js';
import { MENU, order } from './fixtures.js';

describe('compare', () => {
  it.each([
    {
      name: 'equal',
      expected: { burger: 1, fries: 1 },
      observed: { fries: 1, burger: 1 },
      missing: {},
      extra: {},
    },
    {
      name: 'missing',
      expected: { burger: 1, fries: 1 },
      observed: { burger: 1 },
      missing: { fries: 1 },
      extra: {},
    },
    {
      name: 'extra',
      expected: { burger: 1 },
      observed: { burger: 1, drink: 1 },
      missing: {},
      extra: { drink: 1 },
    },
    {
      name: 'one of two duplicates missing',
      expected: { burger: 2 },
      observed: { burger: 1 },
      missing: { burger: 1 },
      extra: {},
    },
    {
      name: 'one duplicate too many',
      expected: { burger: 2 },
      observed: { burger: 3 },
      missing: {},
      extra: { burger: 1 },
    },
    {
      name: 'substitution',
      expected: { burger: 1, fries: 1, drink: 1 },
      observed: { burger: 1, drink: 2 },
      missing: { fries: 1 },
      extra: { drink: 1 },
    },
    {
      name: 'empty tray',
      expected: { burger: 1, fries: 2 },
      observed: {},
      missing: { burger: 1, fries: 2 },
      extra: {},
    },
    { name: 'nothing expected', expected: {}, observed: { salad: 1 }, missing: {}, extra: { salad: 1 } },
    {
      name: 'zero entries ignored',
      expected: { burger: 1, sauce: 0 },
      observed: { burger: 1, fries: 0 },
      missing: {},
      extra: {},
    },
  ] as {
    name: string;
    expected: LabelCounts;
    observed: LabelCounts;
    missing: LabelCounts;
    extra: LabelCounts;
  }[])('$name', ({ expected, observed, missing, extra }) => {
    expect(compare(expected, observed)).toEqual({ missing, extra });
    const size = [...Object.values(missing), ...Object.values(extra)].reduce((a, b) => a + b, 0);
    expect(diffSize(expected, observed)).toBe(size);
  });
});

describe('expandOrder', () => {
  it.each([
    { lines: [['COMBO1', 1]], expected: { burger: 1, fries: 1, drink: 1 }, unverifiable: [], unknown: [] },
    { lines: [['COMBO1', 2]], expected: { burger: 2, fries: 2, drink: 2 }, unverifiable: [], unknown: [] },
    {
      lines: [
        ['COMBO1', 1],
        ['FRIES', 1],
      ],
      expected: { burger: 1, fries: 2, drink: 1 },
      unverifiable: [],
      unknown: [],
    },
    {
      lines: [
        ['COMBO2', 1],
        ['DIP', 2],
      ],
      expected: { nuggets: 1, fries: 1, drink: 1, sauce: 3 },
      unverifiable: [],
      unknown: [],
    },
    {
      lines: [
        ['COMBO1', 1],
        ['GIFT_CARD', 1],
      ],
      expected: { burger: 1, fries: 1, drink: 1 },
      unverifiable: ['GIFT_CARD'],
      unknown: [],
    },
    {
      lines: [
        ['BURGER', 1],
        ['BAGGED_DIP', 3],
      ],
      expected: { burger: 1 },
      unverifiable: ['BAGGED_DIP'],
      unknown: [],
    },
    {
      lines: [
        ['BURGER', 1],
        ['NAPKINS', 1],
      ],
      expected: { burger: 1 },
      unverifiable: ['NAPKINS'],
      unknown: [],
    },
    {
      lines: [
        ['BURGER', 1],
        ['MYSTERY', 1],
        ['MYSTERY', 2],
      ],
      expected: { burger: 1 },
      unverifiable: [],
      unknown: ['MYSTERY'],
    },
    { lines: [['toString', 1]], expected: {}, unverifiable: [], unknown: ['toString'] },
    { lines: [['BURGER', 0]], expected: {}, unverifiable: [], unknown: [] },
  ] as { lines: [string, number][]; expected: LabelCounts; unverifiable: string[]; unknown: string[] }[])(
    '$lines',
    ({ lines, expected, unverifiable, unknown }) => {
      const e = expandOrder(order('1', lines), MENU);
      expect({ expected: e.expected, unknownSkus: e.unknownSkus }).toEqual({
        expected,
        unknownSkus: unknown,
      });
      // The verdict lists the SKUs that cannot be checked, unknown ones included.
      expect(unverifiableText(e.unverifiable)).toEqual([...unverifiable, ...unknown]);
    },
  );
});
