// The flip test's arithmetic (src/detect/flip.ts): which output row is which row mirrored, the
// mirrored input, and the mean of the two looks. The real model end to end is in
// traycheck-model.test.ts.
import { describe, expect, it } from 'vitest';
import { averageMirrored, mirrorIndex, mirrorInput } from '../../src/detect/flip.js';

describe('mirrorIndex', () => {
  it('maps each candidate to the same candidate of the mirrored cell, row by row', () => {
    // 24 x 16 input, stride 8: a 3 x 2 grid, one candidate per cell
    expect([...(mirrorIndex(24, 16, 6) as Int32Array)]).toEqual([2, 1, 0, 5, 4, 3]);
    // 16 x 8: a 2 x 1 grid, two candidates (classes) per cell
    expect([...(mirrorIndex(16, 8, 4) as Int32Array)]).toEqual([2, 3, 0, 1]);
    // the shipped model: 384 x 224, 10 classes
    const map = mirrorIndex(384, 224, 13_440) as Int32Array;
    expect(map[0]).toBe(47 * 10);
    expect(map[47 * 10 + 3]).toBe(3);
    expect(map.every((j, i) => map[j] === i)).toBe(true);
  });

  it('refuses outputs that are not a whole number of candidates per cell', () => {
    expect(mirrorIndex(24, 16, 7)).toBeNull();
    expect(mirrorIndex(64, 64, 2)).toBeNull();
    expect(mirrorIndex(20, 16, 6)).toBeNull(); // width not a multiple of the stride
  });
});

describe('mirrorInput', () => {
  it('reverses every row of every channel', () => {
    const input = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    const out = mirrorInput(input, 2, 3, new Float32Array(18));
    expect([...out]).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10, 15, 14, 13, 18, 17, 16]);
  });
});

describe('averageMirrored', () => {
  it('averages each candidate with its mirrored look, boxes mapped back', () => {
    // 16 x 8 input, two cells, one class: rows [x1, y1, x2, y2, score]
    const plain = Float32Array.from([...[0, 0, 8, 8, 0.8], ...[8, 0, 16, 8, 0]]);
    // the mirrored input shows the item in the right cell, box [9, 1, 16, 7]
    const mirrored = Float32Array.from([...[0, 0, 8, 8, 0], ...[9, 1, 16, 7, 0.6]]);
    const out = averageMirrored(plain, mirrored, 5, 16, mirrorIndex(16, 8, 2) as Int32Array);
    // left cell: [0, 0, 8, 8] and [16 - 16, 1, 16 - 9, 7] = [0, 1, 7, 7]
    expect([...out.subarray(0, 5)].map((v) => +v.toFixed(4))).toEqual([0, 0.5, 7.5, 7.5, 0.7]);
    // right cell: [8, 0, 16, 8] and [16 - 8, 0, 16 - 0, 8]
    expect([...out.subarray(5)].map((v) => +v.toFixed(4))).toEqual([8, 0, 16, 8, 0]);
  });
});
