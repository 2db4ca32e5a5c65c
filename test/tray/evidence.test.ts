// Per-label evidence over the settle window: frame share, score mass, and the detector's own
// doubt (Detection.uncertain, set by the detect stage when two labels compete for one object).
import { describe, expect, it } from 'vitest';
import type { Detection, TrayObservation } from '../../src/types.js';
import { det, item, judge, LEFT, RIGHT, run, tracker } from './fixtures.js';

/** The tray with burger and drink, and fries scored `score`, flagged `uncertain` when asked. */
const meal = (friesScore: number, friesUncertain: boolean): Detection[] => [
  det('tray', LEFT),
  item('burger', LEFT, 0),
  item('drink', LEFT, 1),
  { ...item('fries', LEFT, 2, friesScore), ...(friesUncertain ? { uncertain: true } : {}) },
];

describe('the detector flags a competing label (Detection.uncertain)', () => {
  it.each([
    { flaggedEvery: 1, uncertain: ['fries'] },
    { flaggedEvery: 2, uncertain: ['fries'] }, // half the supporting detections: not to be trusted
    { flaggedEvery: 3, uncertain: [] }, // a third: the label stands
    { flaggedEvery: 0, uncertain: [] },
  ])(
    'fries flagged on every $flaggedEvery-th frame → uncertain $uncertain',
    ({ flaggedEvery, uncertain }) => {
      const { obs } = run(tracker(), 5, 1500, (_ts, i) =>
        meal(0.9, flaggedEvery > 0 && i % flaggedEvery === 0),
      );
      expect(obs[0]).toMatchObject({ phase: 'settled', items: { burger: 1, drink: 1, fries: 1 }, uncertain });
    },
  );

  // A flag doubts the label, not the item: the fries may be nuggets (rival) or food not on the
  // menu (no rival), but something is on the tray either way.
  const flaggedMeal = (rival?: string): TrayObservation => {
    const { obs } = run(tracker(), 5, 1500, () => [
      det('tray', LEFT),
      item('burger', LEFT, 0),
      item('drink', LEFT, 1),
      { ...item('fries', LEFT, 2, 0.9), uncertain: true, ...(rival ? { rival } : {}) },
    ]);
    const o = obs[0];
    if (!o) throw new Error('no observation');
    return o;
  };

  it('the flag is a doubt about the label: relabel names the rival', () => {
    expect(flaggedMeal('nuggets')).toMatchObject({
      uncertain: ['fries'],
      countDoubt: { fries: 'fewer' },
      relabel: { fries: 'nuggets' },
    });
    expect(flaggedMeal()).toMatchObject({ relabel: { fries: null } });
  });

  it('fries that may be nuggets where nuggets were ordered: uncertain, no alert', () => {
    const v = judge(flaggedMeal('nuggets'), [
      ['BURGER', 1],
      ['DRINK', 1],
      ['NUGGETS6', 1],
    ]);
    expect(v).toMatchObject({ result: 'uncertain', extra: { fries: 1 }, missing: { nuggets: 1 } });
  });

  it('fries that may be nuggets, neither ordered: an extra item either way, alert', () => {
    const v = judge(flaggedMeal('nuggets'), [
      ['BURGER', 1],
      ['DRINK', 1],
    ]);
    expect(v).toMatchObject({ result: 'mismatch', extra: { fries: 1 } });
  });

  it('fries that may be food not on the menu: uncertain only when the order has a line the camera cannot check', () => {
    expect(
      judge(flaggedMeal(), [
        ['BURGER', 1],
        ['DRINK', 1],
      ]),
    ).toMatchObject({ result: 'mismatch' });
    expect(
      judge(flaggedMeal(), [
        ['BURGER', 1],
        ['DRINK', 1],
        ['BAGGED_DIP', 1],
      ]),
    ).toMatchObject({ result: 'uncertain', extra: { fries: 1 } });
  });
});

// The count-margin rule with tray.countMargin 0.15 (the value measured for detector.flipTest: false;
// the default 0.1 moves every boundary below down by 0.05).
const MARGIN = { countMargin: 0.15 };

describe('score mass', () => {
  it.each([
    { score: 0.7, missingEvery: 0, uncertain: [] },
    // a phantom among clutter scores ~0.45-0.6 on every frame: below threshold + countMargin
    { score: 0.52, missingEvery: 0, uncertain: ['fries'] },
    { score: 0.6, missingEvery: 0, uncertain: [] },
    // present on 5 frames of 6 at 0.64: averages 0.533
    { score: 0.64, missingEvery: 6, uncertain: ['fries'] },
    { score: 0.9, missingEvery: 6, uncertain: [] },
  ])(
    'fries at $score, missing every $missingEvery-th frame → uncertain $uncertain',
    ({ score, missingEvery, uncertain }) => {
      const { obs } = run(tracker(MARGIN), 5, 1500, (_ts, i) =>
        missingEvery > 0 && i % missingEvery === 3 ? meal(score, false).slice(0, 3) : meal(score, false),
      );
      expect(obs[0]).toMatchObject({ items: { burger: 1, drink: 1, fries: 1 }, uncertain });
    },
  );
});

describe('score mass with the default countMargin (0.1)', () => {
  it.each([
    { score: 0.52, missingEvery: 0, uncertain: [] },
    // present on 5 frames of 6 at 0.58: averages 0.483
    { score: 0.58, missingEvery: 6, uncertain: ['fries'] },
    { score: 0.64, missingEvery: 6, uncertain: [] },
  ])(
    'fries at $score, missing every $missingEvery-th frame → uncertain $uncertain',
    ({ score, missingEvery, uncertain }) => {
      const { obs } = run(tracker(), 5, 1500, (_ts, i) =>
        missingEvery > 0 && i % missingEvery === 3 ? meal(score, false).slice(0, 3) : meal(score, false),
      );
      expect(obs[0]).toMatchObject({ items: { burger: 1, drink: 1, fries: 1 }, uncertain });
    },
  );
});

describe('which way a weak count is in doubt', () => {
  /** Burger, drink and one sauce cup scoring `sauce` on every frame. */
  const settled = (sauce: number): TrayObservation => {
    const { obs } = run(tracker(MARGIN), 5, 1500, () => [
      det('tray', LEFT),
      item('burger', LEFT, 0),
      item('drink', LEFT, 1),
      item('sauce', LEFT, 2, sauce),
    ]);
    const o = obs[0];
    if (!o) throw new Error('no observation');
    return o;
  };

  it('a weak counted item may be a phantom: the count may be lower, not higher', () => {
    expect(settled(0.53)).toMatchObject({ uncertain: ['sauce'], countDoubt: { sauce: 'fewer' } });
    // A counted item scoring near the threshold (within uncertainMargin): the same way.
    expect(settled(0.45)).toMatchObject({ uncertain: ['sauce'], countDoubt: { sauce: 'fewer' } });
  });

  it('one weak sauce cup where two were ordered is still a missing sauce: alert, not uncertain', () => {
    const v = judge(settled(0.53), [
      ['BURGER', 1],
      ['DRINK', 1],
      ['DIP', 2],
    ]);
    expect(v).toMatchObject({ result: 'mismatch', missing: { sauce: 1 }, uncertain: ['sauce'] });
  });

  it('a weak sauce cup where none was ordered may be a phantom: uncertain, no alert', () => {
    const v = judge(settled(0.53), [
      ['BURGER', 1],
      ['DRINK', 1],
    ]);
    expect(v).toMatchObject({ result: 'uncertain', extra: { sauce: 1 } });
  });

  it('a near-threshold sauce cup where two were ordered is still a missing sauce', () => {
    const two = judge(settled(0.45), [
      ['BURGER', 1],
      ['DRINK', 1],
      ['DIP', 2],
    ]);
    expect(two).toMatchObject({ result: 'mismatch', missing: { sauce: 1 } });
  });
});

describe('faint candidates (FrameDetections.faint): an item half hidden under others', () => {
  const ORDER: [string, number][] = [
    ['BURGER', 2],
    ['DRINK', 1],
  ];

  /** One burger counted; a second one seen only faintly, at `score`, on every `every`-th frame (0: never). */
  const settled = (score: number, every: number, faintDoubt?: number): TrayObservation => {
    const { obs } = run(tracker(faintDoubt === undefined ? {} : { faintDoubt }), 5, 1500, (_ts, i) => ({
      detections: [det('tray', LEFT), item('burger', LEFT, 0), item('drink', LEFT, 1)],
      faint: every > 0 && i % every === 0 ? [item('burger', LEFT, 3, score)] : [],
    }));
    const o = obs[0];
    if (!o) throw new Error('no observation');
    return o;
  };

  it('never counts', () => {
    expect(settled(0.3, 1).items).toEqual({ burger: 1, drink: 1 });
  });

  it('seen on every frame at 0.25: the count may be higher, so a missing burger is uncertain, not an alert', () => {
    const o = settled(0.25, 1);
    expect(o).toMatchObject({ uncertain: ['burger'], countDoubt: { burger: 'more' } });
    expect(judge(o, ORDER)).toMatchObject({ result: 'uncertain', missing: { burger: 1 } });
  });

  it('too faint (0.15 < faintDoubt 0.2) or too rare (one frame in four at 0.4): the shortage alerts', () => {
    for (const o of [settled(0.15, 1), settled(0.39, 4)]) {
      expect(o.uncertain).toEqual([]);
      expect(judge(o, ORDER)).toMatchObject({ result: 'mismatch', missing: { burger: 1 } });
    }
  });

  it('does not excuse the other way: a faint burger where one was ordered is no reason to doubt an extra', () => {
    const v = judge(settled(0.25, 1), [
      ['BURGER', 0],
      ['DRINK', 1],
    ]);
    expect(v).toMatchObject({ result: 'mismatch', extra: { burger: 1 } });
  });

  it('tray.faintDoubt 0 turns the rule off', () => {
    expect(settled(0.3, 1, 0).uncertain).toEqual([]);
  });

  it('a faint label with no counted item doubts a missing one', () => {
    const { obs } = run(tracker(), 5, 1500, () => ({
      detections: [det('tray', LEFT), item('drink', LEFT, 1)],
      faint: [item('dessert', LEFT, 4, 0.25)],
    }));
    const o = obs[0];
    if (!o) throw new Error('no observation');
    expect(o).toMatchObject({ items: { drink: 1 }, uncertain: ['dessert'], countDoubt: { dessert: 'more' } });
  });

  it("a faint label mostly on a counted item is that item's runner-up name, not a hidden item", () => {
    const burger = item('burger', LEFT, 0);
    const [x1, y1, x2, y2] = burger.box;
    const onBurger = (cover: number) => {
      // A box as tall as the burger, reaching `cover` of its own width into it from the right.
      const w = (x2 - x1) * 0.8;
      const box: [number, number, number, number] = [x2 - w * cover, y1, x2 - w * cover + w, y2];
      const { obs } = run(tracker(), 5, 1500, () => ({
        detections: [det('tray', LEFT), burger, item('drink', LEFT, 1)],
        faint: [{ label: 'wrap', score: 0.3, box }],
      }));
      return obs[0]?.uncertain;
    };
    expect(onBurger(0.9)).toEqual([]); // tray.faintMaxCover 0.65
    expect(onBurger(0.7)).toEqual([]);
    expect(onBurger(0.55)).toEqual(['wrap']); // half under another item: a hidden one may be there
    expect(onBurger(0.3)).toEqual(['wrap']);
  });

  it("a faint item off every tray is nobody's evidence", () => {
    const { obs } = run(tracker(), 5, 1500, () => ({
      detections: [det('tray', LEFT), item('burger', LEFT, 0), item('drink', LEFT, 1)],
      faint: [item('burger', RIGHT, 0, 0.3)],
    }));
    expect(obs[0]?.uncertain).toEqual([]);
  });
});

describe('a second item near the threshold doubts the count upwards only', () => {
  /** A strong wrap, and a second wrap scoring `second` (counted on every other frame at 0.45). */
  const twoWraps = (second: (i: number) => number): TrayObservation => {
    const { obs } = run(tracker(), 5, 1500, (_ts, i) => [
      det('tray', LEFT),
      item('burger', LEFT, 0),
      item('wrap', LEFT, 1, 0.9),
      ...(second(i) > 0 ? [item('wrap', LEFT, 2, second(i))] : []),
    ]);
    const o = obs[0];
    if (!o) throw new Error('no observation');
    return o;
  };
  const flickering = (i: number): number => (i % 3 === 0 ? 0.45 : 0);

  it('the count is one wrap, doubted towards two', () => {
    expect(twoWraps(flickering)).toMatchObject({
      items: { burger: 1, wrap: 1 },
      uncertain: ['wrap'],
      countDoubt: { wrap: 'more' },
    });
  });

  it('an extra wrap stands whichever way the second one goes: alert', () => {
    const v = judge(twoWraps(flickering), [['BURGER', 1]]);
    expect(v).toMatchObject({ result: 'mismatch', extra: { wrap: 1 } });
  });

  it('a second wrap ordered and almost seen: uncertain, no alert', () => {
    const v = judge(twoWraps(flickering), [
      ['BURGER', 1],
      ['WRAP', 2],
    ]);
    expect(v).toMatchObject({ result: 'uncertain', missing: { wrap: 1 } });
  });
});

describe('a counted item near the threshold on one frame is judged by its mean', () => {
  /** Burger, and a wrap at 0.56 on every frame but one (0.46): it averages 0.54, over 0.4 + 0.1. */
  const paleWrap = (): TrayObservation => {
    const { obs } = run(tracker(), 5, 1500, (_ts, i) => [
      det('tray', LEFT),
      item('burger', LEFT, 0),
      item('wrap', LEFT, 1, i === 2 ? 0.46 : 0.56),
    ]);
    const o = obs[0];
    if (!o) throw new Error('no observation');
    return o;
  };

  it('the wrap is counted and not doubted', () => {
    expect(paleWrap()).toMatchObject({ items: { burger: 1, wrap: 1 }, uncertain: [] });
  });

  it('a wrap on the tray where none was ordered: alert', () => {
    expect(judge(paleWrap(), [['BURGER', 1]])).toMatchObject({ result: 'mismatch', extra: { wrap: 1 } });
  });
});
