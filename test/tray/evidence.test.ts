// Per-label evidence over the settle window: frame share, score mass, and the detector's own
// doubt (Detection.uncertain, set by the detect stage when two labels compete for one object).
import { describe, expect, it } from 'vitest';
import type { Detection, TrayObservation } from '../../src/types.js';
import { createVerifier } from '../../src/verify/verifier.js';
import { MENU, NOW, order } from '../verify/fixtures.js';
import { det, item, LEFT, run, tracker } from './fixtures.js';

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

  it('the verifier yields uncertain, not an alert, when the doubted label is what differs', () => {
    const { obs } = run(tracker(), 5, 1500, () => meal(0.9, true));
    const o = obs[0];
    if (!o) throw new Error('no observation');
    // The order is a burger and a drink: the fries (maybe nuggets) are what differs.
    const v = createVerifier({
      menu: MENU,
      config: { bestMatchWindowMin: 30, maxBestMatchDiff: 3, jointLinkWindowMs: 3000 },
    }).verify(
      { ...o, ts: NOW },
      [
        order('1001', [
          ['BURGER', 1],
          ['DRINK', 1],
        ]),
      ],
      NOW,
    );
    expect(v).toMatchObject({ orderId: '1001', result: 'uncertain', extra: { fries: 1 } });
  });
});

describe('score mass', () => {
  it.each([
    { score: 0.7, missingEvery: 0, uncertain: [] },
    // a phantom sauce cup among clutter scores ~0.6 on every frame: below threshold + countMargin
    { score: 0.6, missingEvery: 0, uncertain: ['fries'] },
    // present on 5 frames of 6 at 0.75: averages 0.625
    { score: 0.75, missingEvery: 6, uncertain: ['fries'] },
    { score: 0.9, missingEvery: 6, uncertain: [] },
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
  const judge = (o: TrayObservation, lines: [string, number][]) =>
    createVerifier({
      menu: MENU,
      config: { bestMatchWindowMin: 30, maxBestMatchDiff: 3, jointLinkWindowMs: 3000 },
    }).verify({ ...o, ts: NOW }, [order('1001', lines)], NOW);

  /** Burger, drink and one sauce cup scoring `sauce` on every frame. */
  const settled = (sauce: number): TrayObservation => {
    const { obs } = run(tracker(), 5, 1500, () => [
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
    expect(settled(0.6)).toMatchObject({ uncertain: ['sauce'], countDoubt: { sauce: 'fewer' } });
    // A score near the threshold (within uncertainMargin) is doubted both ways.
    expect(settled(0.45).uncertain).toEqual(['sauce']);
    expect(settled(0.45).countDoubt).toBeUndefined();
  });

  it('one weak sauce cup where two were ordered is still a missing sauce: alert, not uncertain', () => {
    const v = judge(settled(0.6), [
      ['BURGER', 1],
      ['DRINK', 1],
      ['DIP', 2],
    ]);
    expect(v).toMatchObject({ result: 'mismatch', missing: { sauce: 1 }, uncertain: ['sauce'] });
  });

  it('a weak sauce cup where none was ordered may be a phantom: uncertain, no alert', () => {
    const v = judge(settled(0.6), [
      ['BURGER', 1],
      ['DRINK', 1],
    ]);
    expect(v).toMatchObject({ result: 'uncertain', extra: { sauce: 1 } });
  });

  it('a near-threshold sauce cup excuses a difference either way', () => {
    const two = judge(settled(0.45), [
      ['BURGER', 1],
      ['DRINK', 1],
      ['DIP', 2],
    ]);
    expect(two).toMatchObject({ result: 'uncertain', missing: { sauce: 1 } });
  });
});
