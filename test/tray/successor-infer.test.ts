// Same-spot successors (the next tray for an identical order put where the last one stood) and
// trays that hide their tray (a crowded tray: no tray box, every item visible).
import { describe, expect, it } from 'vitest';
import type { Detection } from '../../src/types.js';
import { det, item, LEFT, RIGHT, run, tracker, trayWith } from './fixtures.js';

const T0 = 1_000_000;
const MEAL = ['burger', 'fries', 'drink'];

/** `first` for 3 s, an empty counter for `gapMs`, then `second` for 3 s. */
function successor(first: Detection[], second: Detection[], gapMs = 1000) {
  const t = tracker();
  const a = run(t, 5, 3000, () => first, T0);
  const gap = run(t, 5, gapMs - 200, () => [], T0 + 3200, 50);
  const b = run(t, 5, 3000, () => second, T0 + 3000 + gapMs, 100);
  return [...a.obs, ...gap.obs, ...b.obs].map((o) => [o.phase, o.trayId, o.items]);
}

describe('same-spot successors', () => {
  it('an identical order on the same spot, its items laid out differently, is a new tray with its own verdict', () => {
    expect(successor(trayWith(LEFT, MEAL), trayWith(LEFT, ['drink', 'burger', 'fries']))).toEqual([
      ['settled', 'expo-1', { burger: 1, fries: 1, drink: 1 }],
      ['departed', 'expo-1', { burger: 1, fries: 1, drink: 1 }],
      ['settled', 'expo-2', { burger: 1, fries: 1, drink: 1 }],
    ]);
  });

  it('the same tray lifted and put back as it was stays one tray, with no second verdict', () => {
    expect(successor(trayWith(LEFT, MEAL), trayWith(LEFT, MEAL))).toEqual([
      ['settled', 'expo-1', { burger: 1, fries: 1, drink: 1 }],
    ]);
  });

  it('a gap too short to be a swap (under swapMissedFrames) is the same tray', () => {
    expect(successor(trayWith(LEFT, MEAL), trayWith(LEFT, ['drink', 'burger', 'fries']), 300)).toEqual([
      ['settled', 'expo-1', { burger: 1, fries: 1, drink: 1 }],
    ]);
  });
});

/** A crowded tray's items (packed close) on the spot of `box`, without the tray detection. */
const itemsOnly = (box: typeof LEFT, labels: string[]): Detection[] => {
  const packed: typeof LEFT = [box[0], box[1], box[0] + 180, box[1] + 120];
  return labels.map((l, i) => item(l, packed, i));
};

describe('inferred trays', () => {
  it('a group of items with no tray box settles as an inferred tray', () => {
    const { obs } = run(tracker(), 5, 3000, () =>
      itemsOnly(LEFT, ['burger', 'fries', 'drink', 'sauce', 'nuggets', 'wrap']),
    );
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({
      phase: 'settled',
      inferred: true,
      items: { burger: 1, fries: 1, drink: 1, sauce: 1, nuggets: 1, wrap: 1 },
    });
  });

  it('two loose items are not a tray (inferMinItems 3), and inference can be turned off', () => {
    expect(run(tracker(), 5, 3000, () => itemsOnly(LEFT, ['burger', 'fries'])).obs).toEqual([]);
    const off = tracker({ inferMinItems: 0 });
    expect(run(off, 5, 3000, () => itemsOnly(LEFT, MEAL)).obs).toEqual([]);
  });

  it('items far apart do not group', () => {
    const scattered = [
      det('burger', [10, 10, 40, 40]),
      det('fries', [300, 150, 330, 180]),
      det('drink', [600, 320, 630, 350]),
    ];
    expect(run(tracker(), 5, 3000, () => scattered).obs).toEqual([]);
  });

  it('a tray box missed on some frames stays one tray, not inferred', () => {
    const { obs } = run(tracker(), 5, 3000, (_ts, i) =>
      i % 3 === 1 ? trayWith(LEFT, MEAL).slice(1) : trayWith(LEFT, MEAL),
    );
    expect(obs.map((o) => [o.phase, o.trayId, o.inferred ?? false])).toEqual([['settled', 'expo-1', false]]);
  });

  it('a hidden tray beside a visible one: each gets its own verdict', () => {
    const { obs } = run(tracker(), 5, 3000, () => [
      ...trayWith(LEFT, MEAL),
      ...itemsOnly(RIGHT, ['wrap', 'salad', 'dessert']),
    ]);
    expect(obs.map((o) => [o.items, o.inferred ?? false])).toEqual([
      [{ burger: 1, fries: 1, drink: 1 }, false],
      [{ wrap: 1, salad: 1, dessert: 1 }, true],
    ]);
  });
});
