// Hands move. A "hand" that stays in one place over a tray is an item the model misreads (a
// burger in dim warm light scored hand 0.6 on every frame of a tray's stay, so the tray never
// settled): after tray.handStillMs the tray is counted as it is.
import { describe, expect, it } from 'vitest';
import { stillHand } from '../../src/tray/hands.js';
import type { TrayObservation } from '../../src/types.js';
import { hand, judge, LEFT, run, tracker, trayWith } from './fixtures.js';

const MEAL = ['burger', 'fries', 'drink'];

describe('a hand that does not move', () => {
  it('after handStillMs (3 s) the tray settles as it is seen', () => {
    const { obs } = run(tracker(), 5, 6000, () => [...trayWith(LEFT, MEAL), hand(150, 150)]);
    expect(obs.map((o) => [o.phase, o.items])).toEqual([['settled', { burger: 1, fries: 1, drink: 1 }]]);
    // The hand was there from the first frame: 3 s still, then the 1 s settle window.
    expect(obs[0]?.ts).toBe(1_000_000 + 4000);
  });

  it('a hand that moves keeps the tray from settling however long it stays', () => {
    const { obs } = run(tracker(), 5, 6000, (_ts, i) => [
      ...trayWith(LEFT, MEAL),
      hand(120 + (i % 2) * 60, 150),
    ]);
    expect(obs).toEqual([]);
  });

  it('handStillMs 0: a still hand blocks settling as any hand does', () => {
    const { obs } = run(tracker({ handStillMs: 0 }), 5, 6000, () => [
      ...trayWith(LEFT, MEAL),
      hand(150, 150),
    ]);
    expect(obs).toEqual([]);
  });

  it('a real hand passing over for a second: the tray settles once it leaves, not before', () => {
    const { obs } = run(tracker(), 5, 4000, (ts) => [
      ...trayWith(LEFT, MEAL),
      ...(ts < 1000 ? [hand(150, 150)] : []),
    ]);
    expect(obs.map((o) => [o.phase, o.ts])).toEqual([['settled', 1_000_000 + 2000]]);
  });

  it('a still "hand" that flickers at the threshold (seen on two frames in three) is still one hand', () => {
    // A misread item at hand 0.41-0.53: the vote restarts on every frame it is seen, so only the
    // still-hand rule lets the tray settle; forgetting the hand on each gap kept it from ever settling.
    const { obs } = run(tracker(), 5, 6000, (_ts, i) => [
      ...trayWith(LEFT, MEAL),
      ...(i % 3 === 2 ? [] : [hand(150, 150)]),
    ]);
    expect(obs.map((o) => [o.phase, o.items])).toEqual([['settled', { burger: 1, fries: 1, drink: 1 }]]);
  });

  it('a hand gone for longer than a second is forgotten: back in the same place, its time starts again', () => {
    const box: [number, number, number, number] = [120, 125, 180, 175];
    let rec = stillHand(null, [box], 0, 3000).state;
    rec = stillHand(rec, [], 900, 3000).state; // a gap of 0.9 s: remembered
    expect(rec?.sinceTs).toBe(0);
    expect(stillHand(rec, [box], 3000, 3000)).toMatchObject({ still: true, state: { sinceTs: 0 } });
    rec = stillHand(rec, [], 1950, 3000).state; // unseen since 0 s: forgotten
    expect(rec).toBeNull();
    expect(stillHand(rec, [box], 3000, 3000)).toMatchObject({ still: false, state: { sinceTs: 3000 } });
  });
});

describe('the still "hand" is an item the model cannot name (observation.unidentified)', () => {
  /** Burger and drink on the tray, and a "hand" still over it (a misread fries, say). */
  const settled = (): TrayObservation => {
    const { obs } = run(tracker(), 5, 6000, () => [...trayWith(LEFT, ['burger', 'drink']), hand(150, 150)]);
    const o = obs[0];
    if (!o) throw new Error('no observation');
    return o;
  };

  it('the observation counts one unidentified item', () => {
    expect(settled()).toMatchObject({ items: { burger: 1, drink: 1 }, unidentified: 1 });
    const clear = run(tracker(), 5, 3000, () => trayWith(LEFT, ['burger', 'drink'])).obs[0];
    expect(clear?.unidentified).toBeUndefined();
  });

  it('one item short may be it: uncertain, the missing label doubted', () => {
    const v = judge(settled(), [
      ['BURGER', 1],
      ['DRINK', 1],
      ['FRIES', 1],
    ]);
    expect(v).toMatchObject({ result: 'uncertain', missing: { fries: 1 }, uncertain: ['fries'] });
  });

  it('two short, or an extra, cannot be one unnamed item: mismatch', () => {
    expect(
      judge(settled(), [
        ['BURGER', 1],
        ['DRINK', 1],
        ['FRIES', 2],
      ]),
    ).toMatchObject({ result: 'mismatch', missing: { fries: 2 } });
    expect(judge(settled(), [['BURGER', 1]])).toMatchObject({ result: 'mismatch', extra: { drink: 1 } });
  });
});
