// A weaker box lying across two stronger boxes of its label (a second box on them, model 3.7's
// fries): it doubts an extra of that label, never a shortage; a third item of the label lying
// apart counts as ever.
import { describe, expect, it } from 'vitest';
import type { Box, Detection } from '../../src/types.js';
import { straddledCounts, unionCover } from '../../src/tray/straddle.js';
import { det, judge, LEFT, run, tracker } from './fixtures.js';

// Two fries boxes one above the other on the left tray, and a third, weaker box across the seam.
const TOP: Box = [150, 90, 210, 170];
const BOTTOM: Box = [150, 160, 215, 250];
const ACROSS: Box = [152, 120, 210, 210];
const APART: Box = [230, 200, 290, 280];

/** The order: two fries and a drink, as [sku, qty] lines. */
const ORDER: [string, number][] = [
  ['FRIES', 2],
  ['DRINK', 1],
];

const tray = (third: Box | null, thirdScore = 0.7): Detection[] => [
  det('tray', LEFT),
  det('fries', TOP, 0.95),
  det('fries', BOTTOM, 0.96),
  det('drink', [80, 100, 130, 150], 0.97),
  ...(third ? [det('fries', third, thirdScore)] : []),
];

describe('unionCover and straddledCounts', () => {
  it('measures the share of a box inside the union of others', () => {
    expect(unionCover(ACROSS, [TOP, BOTTOM])).toBe(1);
    expect(unionCover(ACROSS, [TOP])).toBeCloseTo(50 / 90, 1);
    expect(unionCover(APART, [TOP, BOTTOM])).toBe(0);
    expect(unionCover([10, 10, 10, 20], [TOP])).toBe(0); // empty box
  });

  it('counts an item across two stronger ones of its label, not one apart, one stronger, or another label', () => {
    expect(straddledCounts(tray(ACROSS), 0.8)).toEqual({ fries: 1 });
    expect(straddledCounts(tray(APART), 0.8)).toEqual({});
    // The box across is the strongest: the two it lies on are not "across" anything.
    expect(straddledCounts(tray(ACROSS, 0.99), 0.8)).toEqual({});
    expect(straddledCounts([...tray(null), det('drink', ACROSS, 0.5)], 0.8)).toEqual({});
    expect(straddledCounts(tray(ACROSS), 0)).toEqual({}); // off
  });
});

describe('a box across two of its kind doubts an extra, not a shortage', () => {
  const settle = (frames: (i: number) => Detection[], straddleCover?: number) => {
    const { obs } = run(tracker(straddleCover === undefined ? {} : { straddleCover }), 5, 1500, (_t, i) =>
      frames(i),
    );
    const o = obs[0];
    if (!o) throw new Error('the tray did not settle');
    return o;
  };

  it('two fries ordered, a third box across them: uncertain, no alert', () => {
    const o = settle(() => tray(ACROSS));
    expect(o).toMatchObject({
      items: { fries: 3, drink: 1 },
      uncertain: ['fries'],
      countDoubt: { fries: 'fewer' },
    });
    expect(judge(o, ORDER)).toMatchObject({ result: 'uncertain', extra: { fries: 1 } });
  });

  it('with the rule off (straddleCover 0), the same tray alerts "Extra: 1 fries"', () => {
    const o = settle(() => tray(ACROSS), 0);
    expect(o.uncertain).toEqual([]);
    expect(judge(o, ORDER)).toMatchObject({ result: 'mismatch', extra: { fries: 1 } });
  });

  it('a real third fries box lying apart still alerts', () => {
    const o = settle(() => tray(APART));
    expect(o.uncertain).toEqual([]);
    expect(judge(o, ORDER)).toMatchObject({ result: 'mismatch', extra: { fries: 1 } });
  });

  it('the doubt is one way: three fries ordered, the third across the others, a fourth missing is not excused', () => {
    const o = settle(() => tray(ACROSS));
    expect(
      judge(o, [
        ['FRIES', 4],
        ['DRINK', 1],
      ]),
    ).toMatchObject({ result: 'mismatch', missing: { fries: 1 } });
  });

  it('across on fewer than half the frames: no doubt', () => {
    // Frames 0, 3, 6: the third box lies across; otherwise apart (the count stays three).
    const o = settle((i) => tray(i % 3 === 0 ? ACROSS : APART));
    expect(o.uncertain).toEqual([]);
  });
});
