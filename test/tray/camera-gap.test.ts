// A camera that delivers no frame for longer than departAfterMs was out; the trays were not
// (necessarily) gone. Nothing settled before the gap is reported again from stale state.
import { describe, expect, it } from 'vitest';
import type { Detection } from '../../src/types.js';
import { LEFT, run, tracker, trayWith } from './fixtures.js';

const T0 = 1_000_000;
const MEAL = ['burger', 'fries', 'drink'];
const GAP_MS = 6000;

/** 3 s of `before`, no frame for GAP_MS, then 4 s of `after`. */
function withGap(before: Detection[], after: Detection[]) {
  const t = tracker();
  const first = run(t, 5, 3000, () => before, T0);
  const second = run(t, 5, 4000, () => after, T0 + 3000 + GAP_MS, 100);
  return { first: first.obs, second: second.obs, tracker: t };
}

describe('camera gap', () => {
  it('the same tray after the gap keeps its id and makes no second verdict', () => {
    const { first, second, tracker: t } = withGap(trayWith(LEFT, MEAL), trayWith(LEFT, MEAL));
    expect(first.map((o) => [o.phase, o.trayId])).toEqual([['settled', 'expo-1']]);
    expect(second).toEqual([]);
    expect(t.trays().map((s) => [s.id, s.settled])).toEqual([['expo-1', true]]);
  });

  it('another tray in its place after the gap is a new tray: the old one departs', () => {
    const { second } = withGap(trayWith(LEFT, MEAL), trayWith(LEFT, ['wrap']));
    expect(second.map((o) => [o.phase, o.trayId, o.items])).toEqual([
      ['departed', 'expo-1', { burger: 1, fries: 1, drink: 1 }],
      ['settled', 'expo-2', { wrap: 1 }],
    ]);
  });

  it('a tray gone after the gap departs departAfterMs after the camera is back, not at once', () => {
    const { second } = withGap(trayWith(LEFT, MEAL), []);
    const departed = second.find((o) => o.phase === 'departed');
    expect(departed?.trayId).toBe('expo-1');
    expect(departed?.ts).toBe(T0 + 3000 + GAP_MS + 1600);
  });
});
