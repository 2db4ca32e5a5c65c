// Two tray boxes that overlap (a tray put down against another): an item in the overlap stays on
// the tray that held it on the previous frame; one nobody held goes to the smaller box.
import { describe, expect, it } from 'vitest';
import type { Box, Detection } from '../../src/types.js';
import { det, run, tracker } from './fixtures.js';

const T0 = 1_000_000;
// A is the larger box; its right edge runs over B's left part (x 320..380).
const A: Box = [60, 80, 380, 300];
const B: Box = [320, 80, 580, 300];
const SAUCE: Detection = det('sauce', [335, 200, 365, 230]);
const aItems = [det('tray', A), det('burger', [80, 100, 160, 180]), det('fries', [180, 190, 260, 280])];
const bItems = [det('tray', B), det('drink', [420, 100, 480, 160]), det('nuggets', [450, 200, 540, 280])];

const settledCounts = (obs: ReturnType<typeof run>['obs']) =>
  obs.filter((o) => o.phase !== 'departed').map((o) => [o.trayId, o.phase, o.items]);

describe('items where two tray boxes overlap', () => {
  it("stay on the tray that held them when a neighbour's box comes down over them", () => {
    const t = tracker();
    const before = run(t, 5, 2000, () => [...aItems, SAUCE], T0);
    const after = run(t, 5, 3000, () => [...aItems, SAUCE, ...bItems], T0 + 2200, 20);
    expect(settledCounts([...before.obs, ...after.obs])).toEqual([
      ['expo-1', 'settled', { burger: 1, fries: 1, sauce: 1 }],
      ['expo-2', 'settled', { drink: 1, nuggets: 1 }],
    ]);
  });

  it('go to the smaller box when no tray held them (the newcomer brought them)', () => {
    const t = tracker();
    const before = run(t, 5, 2000, () => aItems, T0);
    const after = run(t, 5, 3000, () => [...aItems, SAUCE, ...bItems], T0 + 2200, 20);
    expect(settledCounts([...before.obs, ...after.obs])).toEqual([
      ['expo-1', 'settled', { burger: 1, fries: 1 }],
      ['expo-2', 'settled', { drink: 1, nuggets: 1, sauce: 1 }],
    ]);
  });
});
