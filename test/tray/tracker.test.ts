import { describe, expect, it } from 'vitest';
import type { Box, Detection } from '../../src/types.js';
import { det, frame, hand, item, LEFT, LEFT_HALF, RIGHT, run, tracker, trayWith } from './fixtures.js';

const T0 = 1_000_000;
const MEAL = ['burger', 'fries', 'drink'];

describe('settle timing', () => {
  it.each([
    // fps, window, min frames → first frame ts (relative) at which the tray settles
    { fps: 5, windowMs: 1000, minFrames: 3, settleAt: 1000 },
    { fps: 10, windowMs: 1000, minFrames: 3, settleAt: 1000 },
    { fps: 2, windowMs: 1000, minFrames: 3, settleAt: 1000 },
    { fps: 1, windowMs: 1000, minFrames: 3, settleAt: 2000 },
    { fps: 5, windowMs: 1000, minFrames: 8, settleAt: 1400 },
    { fps: 5, windowMs: 2000, minFrames: 3, settleAt: 2000 },
    { fps: 20, windowMs: 500, minFrames: 3, settleAt: 500 },
    { fps: 5, windowMs: 1000, minFrames: 1, settleAt: 1000 },
  ])('$fps fps, window $windowMs ms, ≥$minFrames frames → settles at +$settleAt ms, not before', (c) => {
    const t = tracker({ settleWindowMs: c.windowMs, settleMinFrames: c.minFrames });
    const { obs } = run(t, c.fps, c.settleAt + 3000, () => trayWith(LEFT, MEAL));
    expect(obs).toHaveLength(1);
    const o = obs[0]!;
    expect(o).toMatchObject({
      phase: 'settled',
      trayId: 'expo-1',
      cameraId: 'expo',
      station: 'expo',
      items: { burger: 1, fries: 1, drink: 1 },
      uncertain: [],
      ts: T0 + c.settleAt,
      settledSinceTs: T0,
      box: LEFT,
    });
    expect(o.detections?.map((d) => d.label)).toEqual(['tray', ...MEAL]);
    expect(typeof o.frameSeq).toBe('number');
  });

  it('trays() shows the vote before and after settling', () => {
    const t = tracker();
    run(t, 5, 600, () => trayWith(LEFT, ['burger', 'burger']));
    expect(t.trays()).toMatchObject([
      {
        id: 'expo-1',
        settled: false,
        settledCounts: null,
        votedCounts: { burger: 2 },
        counts: { burger: 2 },
      },
    ]);
    run(t, 5, 600, () => trayWith(LEFT, ['burger', 'burger']), T0 + 800, 10);
    expect(t.trays()).toMatchObject([
      { id: 'expo-1', settled: true, settledCounts: { burger: 2 }, handOver: false },
    ]);
  });

  it('an empty tray settles after the window with no items', () => {
    const { obs } = run(tracker(), 5, 2000, () => [det('tray', LEFT)]);
    expect(obs).toEqual([expect.objectContaining({ phase: 'settled', items: {}, ts: T0 + 1000 })]);
  });

  it('counts duplicates of a label', () => {
    const { obs } = run(tracker(), 5, 1200, () =>
      trayWith(LEFT, ['burger', 'burger', 'fries', 'drink', 'drink', 'drink']),
    );
    expect(obs[0]?.items).toEqual({ burger: 2, fries: 1, drink: 3 });
  });
});

describe('uncertain labels', () => {
  it('a flickering count is voted and listed uncertain', () => {
    // fries missing on every third frame: the vote keeps 1, the label is uncertain
    const { obs } = run(tracker(), 5, 2000, (_ts, i) =>
      trayWith(LEFT, i % 3 === 1 ? ['burger'] : ['burger', 'fries']),
    );
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({ phase: 'settled', items: { burger: 1, fries: 1 }, uncertain: ['fries'] });
  });

  it('a label seen on a third of the frames is voted absent but uncertain (count share < 0.75)', () => {
    const { obs } = run(tracker(), 5, 2000, (_ts, i) =>
      trayWith(LEFT, i % 3 === 2 ? ['burger', 'sauce'] : ['burger']),
    );
    expect(obs[0]).toMatchObject({ items: { burger: 1 }, uncertain: ['sauce'] });
  });

  it('one odd frame in the settle window does not make a label uncertain', () => {
    const { obs } = run(tracker(), 5, 2000, (_ts, i) =>
      trayWith(LEFT, i === 2 ? ['burger', 'sauce'] : ['burger']),
    );
    expect(obs[0]).toMatchObject({ items: { burger: 1 }, uncertain: [] });
  });

  it.each([
    { score: 0.9, counted: true, uncertain: false },
    { score: 0.7, counted: true, uncertain: false },
    { score: 0.6, counted: true, uncertain: false },
    { score: 0.52, counted: true, uncertain: false }, // at or over threshold + countMargin 0.1
    { score: 0.49, counted: true, uncertain: true },
    { score: 0.4, counted: true, uncertain: true },
    { score: 0.35, counted: false, uncertain: true },
    { score: 0.29, counted: false, uncertain: false },
    { score: 0.1, counted: false, uncertain: false },
  ])('fries at score $score (threshold 0.4, margin 0.1): counted $counted, uncertain $uncertain', (c) => {
    const { obs } = run(tracker(), 5, 1500, () => [
      det('tray', LEFT),
      item('burger', LEFT, 0),
      item('fries', LEFT, 1, c.score),
    ]);
    expect(obs).toHaveLength(1);
    expect(obs[0]?.items.fries ?? 0).toBe(c.counted ? 1 : 0);
    expect(obs[0]?.uncertain.includes('fries')).toBe(c.uncertain);
    expect(obs[0]?.uncertain.includes('burger')).toBe(false);
  });

  it('per-label thresholds', async () => {
    const { createTrayTracker } = await import('../../src/tray/index.js');
    const { trayConfig, WHOLE_FRAME } = await import('./fixtures.js');
    const t = createTrayTracker({
      cameraId: 'expo',
      station: null,
      zone: WHOLE_FRAME,
      config: trayConfig({ uncertainMargin: 0 }),
      scoreThreshold: (label) => (label === 'sauce' ? 0.7 : 0.3),
    });
    const { obs } = run(t, 5, 1500, () => [
      det('tray', LEFT),
      item('sauce', LEFT, 0, 0.6),
      item('fries', LEFT, 1, 0.35),
    ]);
    expect(obs[0]?.items).toEqual({ fries: 1 });
    expect(obs[0]?.station).toBeNull();
  });
});

describe('hands', () => {
  const centreOf = (b: Box): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
  const [cx, cy] = centreOf(LEFT);

  it.each([
    // hand over the tray on frames from <= ts < until (relative ms, 5 fps) → settle time
    { from: 0, until: 1000, settleAt: 2000 },
    { from: 400, until: 1400, settleAt: 2400 },
    { from: 800, until: 1000, settleAt: 2000 },
    { from: 600, until: 3000, settleAt: 4000 },
  ])(
    'a hand over the tray from $from to $until ms holds the settle until it has left for the window ($settleAt)',
    (c) => {
      const { obs } = run(tracker(), 5, 6000, (ts) => {
        const d = trayWith(LEFT, MEAL);
        return ts >= c.from && ts < c.until ? [...d, hand(cx, cy)] : d;
      });
      expect(obs).toHaveLength(1);
      expect(obs[0]).toMatchObject({
        phase: 'settled',
        ts: T0 + c.settleAt,
        items: { burger: 1, fries: 1, drink: 1 },
      });
    },
  );

  it('a hand adding an item: only the contents after the hand has left are reported', () => {
    const { obs } = run(tracker(), 5, 5000, (ts) => {
      if (ts < 600) return trayWith(LEFT, ['burger']);
      if (ts <= 1600) return [...trayWith(LEFT, ts < 1200 ? ['burger'] : ['burger', 'fries']), hand(cx, cy)];
      return trayWith(LEFT, ['burger', 'fries']);
    });
    expect(obs).toEqual([
      expect.objectContaining({ phase: 'settled', items: { burger: 1, fries: 1 }, ts: T0 + 2800 }),
    ]);
  });

  it.each([
    { name: 'hand elsewhere in the frame', hand: hand(620, 340) },
    { name: 'hand over the other tray', hand: hand(460, 190) },
    {
      name: 'hand barely touching the tray edge (< 10 % of the hand)',
      hand: det('hand', [296, 150, 356, 200]),
    },
    { name: 'hand below the score threshold', hand: { ...hand(cx, cy), score: 0.2 } },
  ])('$name does not hold the settle', (c) => {
    const { obs } = run(tracker(), 5, 2000, () => [...trayWith(LEFT, MEAL), c.hand]);
    expect(obs[0]).toMatchObject({ phase: 'settled', ts: T0 + 1000 });
  });

  it('a hand passing over a settled tray without changing it reports nothing new', () => {
    const { obs } = run(tracker(), 5, 6000, (ts) => {
      const d = trayWith(LEFT, MEAL);
      return ts >= 2000 && ts <= 2600 ? [...d, hand(cx, cy)] : d;
    });
    expect(obs.map((o) => o.phase)).toEqual(['settled']);
  });

  it('trays() reports the hand', () => {
    const t = tracker();
    run(t, 5, 400, () => [...trayWith(LEFT, MEAL), hand(cx, cy)]);
    expect(t.trays()[0]).toMatchObject({ handOver: true, settled: false });
  });
});

describe('changed', () => {
  it('each new stable content after the first settle is one `changed` observation', () => {
    const steps: [number, string[]][] = [
      [0, ['burger', 'fries']],
      [3000, ['burger', 'fries', 'drink']],
      [6000, ['burger', 'drink']],
      [9000, ['burger', 'drink']],
    ];
    const contents = (ts: number): string[] => [...steps].reverse().find(([at]) => ts >= at)![1];
    const { obs } = run(tracker(), 5, 12000, (ts) => trayWith(LEFT, contents(ts)));
    expect(obs.map((o) => [o.phase, o.items])).toEqual([
      ['settled', { burger: 1, fries: 1 }],
      ['changed', { burger: 1, fries: 1, drink: 1 }],
      ['changed', { burger: 1, drink: 1 }],
    ]);
    expect(new Set(obs.map((o) => o.trayId))).toEqual(new Set(['expo-1']));
    // a change re-settles one window after the vote switched (the vote lags about half a window)
    const changed = obs[1]!;
    expect(changed.ts - changed.settledSinceTs!).toBeGreaterThanOrEqual(1000);
    expect(changed.ts).toBeGreaterThan(T0 + 3000 + 1000);
    expect(changed.ts).toBeLessThanOrEqual(T0 + 3000 + 2000);
  });

  it('a brief change that reverts before settling reports nothing', () => {
    const { obs } = run(tracker(), 5, 6000, (ts) =>
      trayWith(LEFT, ts >= 2000 && ts < 2600 ? ['burger'] : ['burger', 'fries']),
    );
    expect(obs.map((o) => o.phase)).toEqual(['settled']);
  });

  it('a change that reverts after settling is reported both ways', () => {
    const { obs } = run(tracker(), 5, 9000, (ts) =>
      trayWith(LEFT, ts >= 2000 && ts < 5000 ? ['burger'] : ['burger', 'fries']),
    );
    expect(obs.map((o) => [o.phase, o.items])).toEqual([
      ['settled', { burger: 1, fries: 1 }],
      ['changed', { burger: 1 }],
      ['changed', { burger: 1, fries: 1 }],
    ]);
  });
});

describe('departure', () => {
  it.each([
    { departAfterMs: 1500, departAt: 4400 },
    { departAfterMs: 500, departAt: 3400 },
    { departAfterMs: 3000, departAt: 5800 },
  ])('unseen for $departAfterMs ms → departed with the last settled items', (c) => {
    // last seen at 2800 (relative); frames keep coming with the tray gone
    const { obs } = run(tracker({ departAfterMs: c.departAfterMs }), 5, 8000, (ts) =>
      ts <= 2800 ? trayWith(LEFT, MEAL) : [],
    );
    expect(obs.map((o) => o.phase)).toEqual(['settled', 'departed']);
    expect(obs[1]).toMatchObject({
      trayId: 'expo-1',
      items: { burger: 1, fries: 1, drink: 1 },
      uncertain: [],
      ts: T0 + c.departAt,
    });
  });

  it('a tray missed on a few frames stays the same tray', () => {
    const { obs } = run(tracker(), 5, 5000, (ts, i) => (i % 4 === 3 ? [] : trayWith(LEFT, MEAL)));
    expect(obs).toEqual([expect.objectContaining({ phase: 'settled', trayId: 'expo-1' })]);
  });

  it('a tray that never settled departs silently', () => {
    const t = tracker();
    const { obs } = run(t, 5, 5000, (ts) => (ts < 600 ? trayWith(LEFT, MEAL) : []));
    expect(obs).toEqual([]);
    expect(t.trays()).toEqual([]);
  });

  it('expire(ts) departs trays when no frame comes (camera offline)', () => {
    const t = tracker();
    run(t, 5, 2000, () => trayWith(LEFT, MEAL));
    expect(t.expire(T0 + 2000 + 1499)).toEqual([]);
    expect(t.expire(T0 + 2000 + 1500)).toEqual([
      expect.objectContaining({ phase: 'departed', trayId: 'expo-1' }),
    ]);
    expect(t.trays()).toEqual([]);
  });

  it('a new tray after a departure gets a new id', () => {
    const { obs } = run(tracker(), 5, 10000, (ts) => (ts <= 2000 || ts >= 5000 ? trayWith(LEFT, MEAL) : []));
    expect(obs.map((o) => `${o.trayId}:${o.phase}`)).toEqual([
      'expo-1:settled',
      'expo-1:departed',
      'expo-2:settled',
    ]);
  });
});

describe('several trays and the zone', () => {
  it('two trays side by side are tracked and counted separately', () => {
    const { obs } = run(tracker(), 5, 2000, () => [
      ...trayWith(LEFT, ['burger', 'fries']),
      ...trayWith(RIGHT, ['nuggets', 'drink', 'drink']),
    ]);
    expect(obs.map((o) => [o.trayId, o.items])).toEqual([
      ['expo-1', { burger: 1, fries: 1 }],
      ['expo-2', { nuggets: 1, drink: 2 }],
    ]);
    expect(obs[1]?.detections?.map((d) => d.label)).toEqual(['tray', 'nuggets', 'drink', 'drink']);
  });

  it('the second tray arriving later does not disturb the first', () => {
    const { obs } = run(tracker(), 5, 5000, (ts) => [
      ...trayWith(LEFT, ['burger']),
      ...(ts >= 1600 ? trayWith(RIGHT, ['wrap', 'salad']) : []),
    ]);
    expect(obs.map((o) => [o.trayId, o.phase, o.items, o.ts - T0])).toEqual([
      ['expo-1', 'settled', { burger: 1 }, 1000],
      ['expo-2', 'settled', { wrap: 1, salad: 1 }, 2600],
    ]);
  });

  it('items outside every tray are ignored', () => {
    const loose: Detection[] = [
      det('drink', [10, 10, 40, 60]),
      det('fries', [600, 320, 630, 350]),
      det('burger', [305, 150, 335, 180]),
    ];
    const { obs } = run(tracker(), 5, 2000, () => [...trayWith(LEFT, ['burger']), ...loose]);
    expect(obs[0]?.items).toEqual({ burger: 1 });
  });

  it('an item on two overlapping tray boxes goes to the smaller tray', () => {
    const big: Box = [50, 50, 400, 330];
    const small: Box = [250, 100, 390, 250];
    const { obs } = run(tracker(), 5, 2000, () => [
      det('tray', big),
      det('tray', small),
      det('drink', [300, 150, 340, 190]),
      det('fries', [80, 80, 120, 120]),
    ]);
    expect(Object.fromEntries(obs.map((o) => [o.trayId, o.items]))).toEqual({
      'expo-1': { fries: 1 },
      'expo-2': { drink: 1 },
    });
  });

  it('a tray outside the zone is ignored, with its items', () => {
    const t = tracker({}, LEFT_HALF);
    const { obs } = run(t, 5, 2000, () => [...trayWith(LEFT, ['burger']), ...trayWith(RIGHT, MEAL)]);
    expect(obs.map((o) => [o.trayId, o.items])).toEqual([['expo-1', { burger: 1 }]]);
    expect(t.trays().map((s) => s.id)).toEqual(['expo-1']);
  });

  it('a tray leaving the zone departs', () => {
    const { obs } = run(tracker({}, LEFT_HALF), 5, 6000, (ts) => trayWith(ts < 2000 ? LEFT : RIGHT, MEAL));
    expect(obs.map((o) => o.phase)).toEqual(['settled', 'departed']);
  });
});

describe('identity', () => {
  it.each([
    { name: 'drifting 4 px per frame', dx: 4 },
    { name: 'sliding 25 px per frame', dx: 25 },
  ])('a tray $name keeps its id and settles', ({ dx }) => {
    const t = tracker();
    const { obs } = run(t, 5, 2400, (_ts, i) => {
      const s = Math.min(i, 6) * dx; // moves for 6 frames then rests
      return trayWith([LEFT[0] + s, LEFT[1], LEFT[2] + s, LEFT[3]], MEAL);
    });
    expect(obs.map((o) => o.trayId)).toEqual(['expo-1']);
    expect(t.trays()).toHaveLength(1);
  });

  it('a tray jumping across the frame is a new tray', () => {
    const t = tracker();
    const { obs } = run(t, 5, 6000, (ts) => trayWith(ts < 2000 ? LEFT : RIGHT, MEAL));
    expect(obs.map((o) => `${o.trayId}:${o.phase}`)).toEqual([
      'expo-1:settled',
      'expo-2:settled',
      'expo-1:departed',
    ]);
  });

  it('ids start at firstTrayNumber', async () => {
    const { createTrayTracker } = await import('../../src/tray/index.js');
    const { trayConfig, WHOLE_FRAME } = await import('./fixtures.js');
    const t = createTrayTracker({
      cameraId: 'expo',
      station: 'expo',
      zone: WHOLE_FRAME,
      config: trayConfig(),
      scoreThreshold: 0.4,
      firstTrayNumber: 41,
    });
    expect(run(t, 5, 1200, () => trayWith(LEFT, MEAL)).obs[0]?.trayId).toBe('expo-41');
  });
});

describe('input hygiene and determinism', () => {
  it('ignores frames of another camera and frames going back in time', () => {
    const t = tracker();
    expect(t.update({ ...frame(1, T0, trayWith(LEFT, MEAL)), cameraId: 'drive' })).toEqual([]);
    expect(t.trays()).toEqual([]);
    run(t, 5, 1200, () => trayWith(LEFT, MEAL));
    expect(t.update(frame(99, T0 - 5000, trayWith(RIGHT, MEAL)))).toEqual([]);
    expect(t.trays().map((s) => s.id)).toEqual(['expo-1']);
  });

  it('the same frames give the same observations', () => {
    const scene = (ts: number, i: number): Detection[] => [
      ...trayWith(LEFT, i % 5 === 0 ? ['burger'] : ['burger', 'fries']),
      ...(ts > 3000 ? trayWith(RIGHT, ['drink']) : []),
      ...(ts > 1000 && ts < 1500 ? [hand(180, 190)] : []),
    ];
    const a = run(tracker(), 7, 9000, scene).obs;
    const b = run(tracker(), 7, 9000, scene).obs;
    expect(a.length).toBeGreaterThan(1);
    expect(b).toEqual(a);
  });
});

describe('a tray swapped for the next one at the same spot', () => {
  // tray A until 3000, nothing for `gapMs`, then tray B (other or same contents) at the same place
  const swap = (gapMs: number, second: string[], over: Parameters<typeof tracker>[0] = {}) =>
    run(tracker(over), 5, 3000 + gapMs + 3000, (ts) =>
      ts < 3000 ? trayWith(LEFT, MEAL) : ts < 3000 + gapMs ? [] : trayWith(LEFT, second),
    ).obs.map((o) => `${o.trayId}:${o.phase}:${Object.keys(o.items).sort().join('+')}`);

  it.each([
    {
      gapMs: 1000,
      second: ['wrap', 'salad'],
      want: [
        'expo-1:settled:burger+drink+fries',
        'expo-1:departed:burger+drink+fries',
        'expo-2:settled:salad+wrap',
      ],
    },
    {
      gapMs: 600,
      second: ['wrap', 'salad'],
      want: [
        'expo-1:settled:burger+drink+fries',
        'expo-1:departed:burger+drink+fries',
        'expo-2:settled:salad+wrap',
      ],
    },
    { gapMs: 1000, second: MEAL, want: ['expo-1:settled:burger+drink+fries'] },
    {
      gapMs: 400,
      second: ['wrap', 'salad'],
      want: ['expo-1:settled:burger+drink+fries', 'expo-1:changed:salad+wrap'],
    },
  ])('missing $gapMs ms then $second → $want', ({ gapMs, second, want }) => {
    expect(swap(gapMs, second)).toEqual(want);
  });

  it('swapMissedFrames sets how long the gap must be', () => {
    expect(swap(1000, ['wrap'], { swapMissedFrames: 10 })).toEqual([
      'expo-1:settled:burger+drink+fries',
      'expo-1:changed:wrap',
    ]);
    expect(swap(400, ['wrap'], { swapMissedFrames: 2 })).toEqual([
      'expo-1:settled:burger+drink+fries',
      'expo-1:departed:burger+drink+fries',
      'expo-2:settled:wrap',
    ]);
  });

  it('the new tray keeps being tracked under its new id', () => {
    const t = tracker();
    run(t, 5, 9000, (ts) => (ts < 3000 ? trayWith(LEFT, MEAL) : ts < 4000 ? [] : trayWith(LEFT, ['wrap'])));
    expect(t.trays().map((s) => [s.id, s.settledCounts])).toEqual([['expo-2', { wrap: 1 }]]);
    const later = run(t, 5, 3000, () => [], T0 + 9200, 100).obs;
    expect(later.map((o) => `${o.trayId}:${o.phase}`)).toEqual(['expo-2:departed']);
  });
});
