import { describe, expect, it } from 'vitest';
import {
  createMotionGate,
  pointInPolygon,
  zoneMask,
  type MotionGateOptions,
} from '../../src/camera/motion-gate.js';

const W = 160;
const H = 96;
const FULL: [number, number][] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];

/** A flat grey frame with an optional bright square at (x, y). */
function frame(grey: number, square?: { x: number; y: number; size: number; value?: number }): Buffer {
  const buf = Buffer.alloc(W * H * 3, grey);
  if (square) {
    for (let y = square.y; y < Math.min(H, square.y + square.size); y++) {
      buf.fill(
        square.value ?? 255,
        (y * W + square.x) * 3,
        (y * W + Math.min(W, square.x + square.size)) * 3,
      );
    }
  }
  return buf;
}

function gate(over: Partial<MotionGateOptions> = {}) {
  return createMotionGate({
    width: W,
    height: H,
    zone: FULL,
    fps: 5,
    idleFps: 1,
    motionThreshold: 0.01,
    holdMs: 2000,
    ...over,
  });
}

/** Feeds frames at 5 fps from `t0`; returns the decisions. */
function run(g: ReturnType<typeof gate>, frames: Buffer[], t0 = 0, stepMs = 200) {
  return frames.map((f, i) => g.check(f, t0 + i * stepMs));
}

describe('zone mask', () => {
  it('point in polygon handles a triangle', () => {
    const tri: [number, number][] = [
      [0, 0],
      [1, 0],
      [0, 1],
    ];
    expect(pointInPolygon(0.2, 0.2, tri)).toBe(true);
    expect(pointInPolygon(0.8, 0.8, tri)).toBe(false);
  });

  it('covers every cell for the full frame and only the left half for a left-half zone', () => {
    const full = zoneMask(W, H, FULL, 8);
    expect(full.cols * full.rows).toBe(20 * 12);
    expect(full.cells.length).toBe(240);
    const left = zoneMask(
      W,
      H,
      [
        [0, 0],
        [0.5, 0],
        [0.5, 1],
        [0, 1],
      ],
      8,
    );
    expect(left.cells.length).toBe(120);
    for (const c of left.cells) expect(c % left.cols).toBeLessThan(10);
  });
});

describe('motion gate', () => {
  it('forwards every frame when motionThreshold is 0', () => {
    const g = gate({ motionThreshold: 0 });
    const d = run(
      g,
      Array.from({ length: 30 }, () => frame(100)),
    );
    expect(d.every((x) => x.forward && !x.idle)).toBe(true);
  });

  it('drops to idleFps on a static scene after the hold period', () => {
    const g = gate();
    const d = run(
      g,
      Array.from({ length: 50 }, () => frame(100)),
    ); // 10 s at 5 fps
    // First frame counts as motion: full rate for the 2 s hold (10 frames), then 1 fps.
    expect(d.slice(0, 10).every((x) => x.forward && !x.idle)).toBe(true);
    const rest = d.slice(10);
    expect(rest.every((x) => x.idle)).toBe(true);
    const forwarded = rest.filter((x) => x.forward).length;
    expect(forwarded).toBeGreaterThanOrEqual(7); // 8 s at 1 fps
    expect(forwarded).toBeLessThanOrEqual(9);
  });

  it('returns to full rate on the very frame that changes, and holds it', () => {
    const g = gate();
    const still = Array.from({ length: 30 }, () => frame(100));
    const d1 = run(g, still);
    expect(d1.at(-1)?.idle).toBe(true);
    // A tray (bright square) appears at t = 6000 ms.
    const moved = frame(100, { x: 40, y: 30, size: 32 });
    const d2 = run(g, [moved, ...Array.from({ length: 20 }, () => moved)], 6000);
    expect(d2[0]).toMatchObject({ forward: true, idle: false });
    expect(d2[0]?.changed).toBeGreaterThan(0.01);
    // Still for 2 s after the last change → frames within the hold are all forwarded.
    const within = d2.slice(1, 10);
    expect(within.every((x) => x.forward && !x.idle)).toBe(true);
    expect(d2.slice(11).every((x) => x.idle)).toBe(true);
  });

  it('ignores changes outside the zone', () => {
    const zone: [number, number][] = [
      [0, 0],
      [0.5, 0],
      [0.5, 1],
      [0, 1],
    ];
    const g = gate({ zone });
    run(
      g,
      Array.from({ length: 20 }, () => frame(100)),
    );
    // Motion in the right half only.
    const d = run(
      g,
      Array.from({ length: 10 }, (_, i) => frame(100, { x: 90 + (i % 2) * 20, y: 20, size: 40 })),
      4000,
    );
    expect(d.every((x) => x.idle && x.changed === 0)).toBe(true);
    // The same motion in the left half wakes the gate.
    const d2 = g.check(frame(100, { x: 10, y: 20, size: 40 }), 6000);
    expect(d2).toMatchObject({ forward: true, idle: false });
  });

  it('treats small noise below the cell delta and below the threshold as still', () => {
    const g = gate({ motionThreshold: 0.05 });
    run(
      g,
      Array.from({ length: 15 }, () => frame(100)),
    );
    // Sensor noise: +-3 grey levels everywhere, and one small 8x8 change (1 cell of 240 < 5 %).
    const noisy = frame(103, { x: 0, y: 0, size: 8, value: 250 });
    const d = g.check(noisy, 3000);
    expect(d.idle).toBe(true);
    expect(d.changed).toBeLessThanOrEqual(1 / 240 + 1e-9);
  });

  it('reset() makes the next frame count as motion', () => {
    const g = gate();
    run(
      g,
      Array.from({ length: 20 }, () => frame(100)),
    );
    g.reset();
    expect(g.check(frame(100), 10_000)).toMatchObject({ forward: true, idle: false, changed: 1 });
  });

  it('idle rate follows idleFps', () => {
    const g = gate({ idleFps: 2.5, holdMs: 0 });
    const d = run(
      g,
      Array.from({ length: 51 }, () => frame(50)),
    );
    const forwarded = d.slice(1).filter((x) => x.forward).length; // 10 s
    expect(forwarded).toBeGreaterThanOrEqual(24);
    expect(forwarded).toBeLessThanOrEqual(26);
  });
});
