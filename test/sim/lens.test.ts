// The wide-angle lens of photo-realistic training frames: the label boxes must move exactly as
// the pixels do, or the model learns boxes that miss their objects.
import { describe, expect, it } from 'vitest';
import { barrelView } from '../../src/sim/render/lens.js';
import { rngFor } from '../../src/sim/render/random.js';

const W = 320;
const H = 180;

/** A grey frame with white rectangles at the given boxes. */
function frame(boxes: Array<[number, number, number, number]>): Buffer {
  const rgb = Buffer.alloc(W * H * 3, 90);
  for (const [x1, y1, x2, y2] of boxes)
    for (let y = y1; y < y2; y++)
      for (let x = x1; x < x2; x++) rgb.fill(255, (y * W + x) * 3, (y * W + x) * 3 + 3);
  return rgb;
}

/** Bounding box of the white pixels inside a search window. */
function whiteBox(rgb: Buffer, win: [number, number, number, number]): [number, number, number, number] {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = win[1]; y < win[3]; y++)
    for (let x = win[0]; x < win[2]; x++)
      if ((rgb[(y * W + x) * 3] as number) > 200) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      }
  return [x1, y1, x2, y2];
}

describe('barrelView', () => {
  const boxes: Array<[number, number, number, number]> = [
    [140, 70, 180, 110], // centre: magnified
    [10, 10, 60, 50], // near a corner: squeezed towards it, edges bowed
    [250, 120, 300, 170],
  ];
  const labels = boxes.map((box, i) => ({ label: `item${i}`, box }));

  it('moves each label box with its pixels (within a pixel and a half)', () => {
    const { rgb, labels: moved } = barrelView(frame(boxes), W, H, labels, rngFor(1, 1), 0.3);
    expect(moved.map((l) => l.label)).toEqual(['item0', 'item1', 'item2']);
    const windows: Array<[number, number, number, number]> = [
      [100, 40, 220, 140],
      [0, 0, 100, 80],
      [200, 100, 320, 180],
    ];
    for (const [i, l] of moved.entries()) {
      const seen = whiteBox(rgb, windows[i]!);
      for (let k = 0; k < 4; k++) expect(Math.abs(l.box[k]! - seen[k]!)).toBeLessThanOrEqual(1.5);
    }
    // The centre is magnified and every point moves outwards (the corners stay put).
    const size = (b: readonly number[]) => (b[2]! - b[0]!) * (b[3]! - b[1]!);
    const dist = (b: readonly number[]) =>
      Math.hypot((b[0]! + b[2]!) / 2 - W / 2, (b[1]! + b[3]!) / 2 - H / 2);
    expect(size(moved[0]!.box)).toBeGreaterThan(size(boxes[0]!) * 1.15);
    for (const [i, l] of moved.entries()) if (i > 0) expect(dist(l.box)).toBeGreaterThan(dist(boxes[i]!));
  });

  it('keeps the frame size and the corners, and is deterministic for a seed', () => {
    const src = frame(boxes);
    const a = barrelView(src, W, H, labels, rngFor(7, 1));
    const b = barrelView(src, W, H, labels, rngFor(7, 1));
    expect(a.rgb.length).toBe(src.length);
    expect(a.rgb.equals(b.rgb)).toBe(true);
    expect(a.labels).toEqual(b.labels);
    expect(a.rgb.subarray(0, 3)).toEqual(src.subarray(0, 3));
  });
});
