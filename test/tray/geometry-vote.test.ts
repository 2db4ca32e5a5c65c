import { describe, expect, it } from 'vitest';
import { centre, containsPoint, iou, pointInPolygon } from '../../src/tray/geometry.js';
import { matchBoxes } from '../../src/tray/match.js';
import {
  flickeringLabels,
  sameCounts,
  uncertainLabels,
  voteCounts,
  type VoteFrame,
} from '../../src/tray/vote.js';
import type { Box, LabelCounts } from '../../src/types.js';

const f = (counts: LabelCounts, nearThreshold: string[] = [], ts = 0): VoteFrame => ({
  ts,
  seq: 0,
  counts,
  nearThreshold,
});

describe('geometry', () => {
  it.each([
    { a: [0, 0, 10, 10], b: [0, 0, 10, 10], want: 1 },
    { a: [0, 0, 10, 10], b: [5, 0, 15, 10], want: 50 / 150 },
    { a: [0, 0, 10, 10], b: [10, 10, 20, 20], want: 0 },
    { a: [0, 0, 10, 10], b: [2, 2, 4, 4], want: 4 / 100 },
  ] as { a: Box; b: Box; want: number }[])('iou($a, $b) = $want', ({ a, b, want }) => {
    expect(iou(a, b)).toBeCloseTo(want, 9);
  });

  it.each([
    { p: [0.5, 0.5], want: true },
    { p: [0.05, 0.5], want: false },
    { p: [0.95, 0.9], want: false },
    { p: [0.3, 0.3], want: true },
  ] as { p: [number, number]; want: boolean }[])('point $p in a triangle-ish zone: $want', ({ p, want }) => {
    const zone: [number, number][] = [
      [0.1, 0.1],
      [0.9, 0.1],
      [0.9, 0.5],
      [0.5, 0.9],
      [0.1, 0.5],
    ];
    expect(pointInPolygon(p, zone)).toBe(want);
  });

  it('centre and containment', () => {
    expect(centre([0, 0, 10, 20])).toEqual([5, 10]);
    expect(containsPoint([0, 0, 10, 10], [10, 10])).toBe(true);
    expect(containsPoint([0, 0, 10, 10], [10.1, 5])).toBe(false);
  });
});

describe('matchBoxes', () => {
  const opts = { minIou: 0.3, maxCentreDist: 0.5 };
  it('pairs each box with its best overlap, one to one', () => {
    const prev: Box[] = [
      [0, 0, 100, 100],
      [200, 0, 300, 100],
    ];
    const cur: Box[] = [
      [205, 5, 305, 105],
      [5, 0, 105, 100],
      [500, 200, 600, 300],
    ];
    expect(matchBoxes(prev, cur, opts)).toEqual({
      pairs: [
        [0, 1],
        [1, 0],
      ],
      unmatched: [2],
    });
  });
  it('matches a slid tray by centre distance when IoU is low', () => {
    const r = matchBoxes([[0, 0, 100, 100]], [[60, 0, 160, 100]], opts);
    expect(iou([0, 0, 100, 100], [60, 0, 160, 100])).toBeLessThan(0.3);
    expect(r.pairs).toEqual([[0, 0]]);
  });
  it('does not match a box far away', () => {
    expect(matchBoxes([[0, 0, 100, 100]], [[300, 0, 400, 100]], opts)).toEqual({ pairs: [], unmatched: [0] });
  });
});

describe('vote', () => {
  it.each([
    { name: 'steady', frames: [{ a: 1 }, { a: 1 }, { a: 1 }], prev: null, want: { a: 1 } },
    { name: 'one dropout', frames: [{ a: 1 }, {}, { a: 1 }, { a: 1 }], prev: null, want: { a: 1 } },
    { name: 'one double', frames: [{ a: 2 }, { a: 1 }, { a: 1 }], prev: null, want: { a: 1 } },
    { name: 'majority absent', frames: [{ a: 1 }, {}, {}], prev: null, want: {} },
    { name: 'tie keeps previous', frames: [{ a: 1 }, { a: 2 }], prev: { a: 1 }, want: { a: 1 } },
    {
      name: 'tie keeps previous (other order)',
      frames: [{ a: 2 }, { a: 1 }],
      prev: { a: 2 },
      want: { a: 2 },
    },
    { name: 'tie without previous: latest', frames: [{ a: 2 }, { a: 1 }], prev: null, want: { a: 1 } },
    { name: 'tie, previous not tied: latest', frames: [{ a: 2 }, { a: 1 }], prev: { a: 3 }, want: { a: 1 } },
    {
      name: 'labels independent',
      frames: [{ a: 1, b: 2 }, { a: 1, b: 2 }, { a: 1 }],
      prev: null,
      want: { a: 1, b: 2 },
    },
  ] as { name: string; frames: LabelCounts[]; prev: LabelCounts | null; want: LabelCounts }[])(
    '$name',
    ({ frames, prev, want }) => {
      expect(
        voteCounts(
          frames.map((c) => f(c)),
          prev,
        ),
      ).toEqual(want);
    },
  );

  it('flicker and near-threshold labels are uncertain', () => {
    const frames = [f({ a: 1, b: 1 }), f({ a: 1 }), f({ a: 1, b: 1 }, ['c'])];
    expect(flickeringLabels(frames)).toEqual(['b']);
    expect(uncertainLabels(frames)).toEqual(['b', 'c']);
  });

  it('sameCounts treats missing keys as zero', () => {
    expect(sameCounts({ a: 1, b: 0 }, { a: 1 })).toBe(true);
    expect(sameCounts({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameCounts({}, { a: 1 })).toBe(false);
  });
});
