// Items hidden by an arm reaching across a tray to another one: seed 17's T1095 (four sauces, two
// fries, nuggets, a drink and a dessert) lost its fries, nuggets, dessert and drink for a second
// while a hand worked on the tray beside it, and that second settled as "Missing: 2 fries, 1
// nuggets, 1 sauce". Items leave a tray in a hand over it; without one, fewer items while a hand
// is elsewhere are held back for tray.hiddenHoldMs.
import { describe, expect, it } from 'vitest';
import type { Detection } from '../../src/types.js';
import { hand, LEFT, RIGHT, run, tracker, trayWith } from './fixtures.js';

const T0 = 1_000_000;
const MEAL = ['burger', 'fries', 'drink'];
/** The middle of a box: a hand there is over that tray. */
const over = (b: typeof LEFT): Detection => hand((b[0] + b[2]) / 2, (b[1] + b[3]) / 2);

/** Both trays for 3 s; then `during` for `ms`; then `after` for 4 s. Observations of the left tray. */
function play(during: Detection[], ms: number, after: Detection[], over: Parameters<typeof tracker>[0] = {}) {
  const t = tracker(over);
  const both = [...trayWith(LEFT, MEAL), ...trayWith(RIGHT, ['wrap', 'salad'])];
  const a = run(t, 5, 3000, () => both, T0);
  const b = run(t, 5, ms - 200, () => during, T0 + 3200, 100);
  const c = run(t, 5, 4000, () => after, T0 + 3000 + ms, 200);
  return [...a.obs, ...b.obs, ...c.obs]
    .filter((o) => o.trayId === 'expo-1')
    .map((o) => [o.phase, o.items, o.ts - T0]);
}

const right = trayWith(RIGHT, ['wrap', 'salad']);
const leftOnlyBurger = trayWith(LEFT, ['burger']);

describe('items hidden by an arm over the tray beside', () => {
  it('a second of fewer items while a hand works on the next tray changes nothing', () => {
    const both = [...trayWith(LEFT, MEAL), ...right];
    expect(play([...leftOnlyBurger, ...right, over(RIGHT)], 1400, both)).toEqual([
      ['settled', { burger: 1, fries: 1, drink: 1 }, 1000],
    ]);
  });

  it('fewer items for longer than hiddenHoldMs count again', () => {
    const obs = play([...leftOnlyBurger, ...right, over(RIGHT)], 6000, [...leftOnlyBurger, ...right], {
      hiddenHoldMs: 2000,
    });
    expect(obs.map(([phase, items]) => [phase, items])).toEqual([
      ['settled', { burger: 1, fries: 1, drink: 1 }],
      ['changed', { burger: 1 }],
    ]);
    // Held 2 s from the first frame with fewer (3.2 s), then one settle window (1 s).
    expect(obs[1]?.[2]).toBe(6200);
  });

  it('items taken by a hand over the tray itself count at once, though a hand stays elsewhere', () => {
    const t = tracker();
    const a = run(t, 5, 3000, () => [...trayWith(LEFT, MEAL), ...right], T0);
    // A hand over the left tray takes the fries and drink...
    const b = run(t, 5, 600, () => [...trayWith(LEFT, MEAL), ...right, over(LEFT)], T0 + 3200, 100);
    // ... and goes on to the right tray.
    const c = run(t, 5, 3000, () => [...leftOnlyBurger, ...right, over(RIGHT)], T0 + 4000, 200);
    const left = [...a.obs, ...b.obs, ...c.obs].filter((o) => o.trayId === 'expo-1');
    expect(left.map((o) => [o.phase, o.items, o.ts - T0])).toEqual([
      ['settled', { burger: 1, fries: 1, drink: 1 }, 1000],
      ['changed', { burger: 1 }, 5000],
    ]);
  });

  it('fewer items with no hand in view count at once', () => {
    const obs = play([...leftOnlyBurger, ...right], 3000, [...leftOnlyBurger, ...right]);
    expect(obs).toEqual([
      ['settled', { burger: 1, fries: 1, drink: 1 }, 1000],
      ['changed', { burger: 1 }, 4800],
    ]);
  });

  it('more items while a hand is elsewhere count at once', () => {
    const more = trayWith(LEFT, [...MEAL, 'sauce']);
    const obs = play([...more, ...right, over(RIGHT)], 3000, [...more, ...right]);
    expect(obs).toEqual([
      ['settled', { burger: 1, fries: 1, drink: 1 }, 1000],
      ['changed', { burger: 1, fries: 1, drink: 1, sauce: 1 }, 4800],
    ]);
  });

  it('a tray back at its spot after a gap with fewer items is judged at once (the next tray), a hand elsewhere or not', () => {
    const t = tracker();
    const a = run(t, 5, 3000, () => [...trayWith(LEFT, MEAL), ...right], T0);
    const gap = run(t, 5, 800, () => [...right, over(RIGHT)], T0 + 3200, 100);
    const b = run(t, 5, 2000, () => [...leftOnlyBurger, ...right, over(RIGHT)], T0 + 4200, 200);
    const left = [...a.obs, ...gap.obs, ...b.obs].filter((o) => o.trayId !== 'expo-2');
    expect(left.map((o) => [o.phase, o.trayId, o.items, o.ts - T0])).toEqual([
      ['settled', 'expo-1', { burger: 1, fries: 1, drink: 1 }, 1000],
      ['departed', 'expo-1', { burger: 1, fries: 1, drink: 1 }, 5200],
      ['settled', 'expo-3', { burger: 1 }, 5200],
    ]);
  });
});
