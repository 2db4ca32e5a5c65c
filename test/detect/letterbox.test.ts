import { describe, expect, it } from 'vitest';
import {
  createPreprocessor,
  letterboxGeometry,
  toFramePx,
  toInputPx,
  type LetterboxMode,
} from '../../src/detect/letterbox.js';
import type { Box } from '../../src/types.js';

function frameOf(width: number, height: number, px: (x: number, y: number) => [number, number, number]) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(px(x, y), (y * width + x) * 3);
  return { width, height, data };
}

describe('letterbox geometry', () => {
  it('centres a 640x360 frame in 384x224 and puts a YOLOX input in the top-left corner', () => {
    expect(letterboxGeometry(640, 360, 384, 224, 'center')).toMatchObject({
      scale: 0.6,
      newW: 384,
      newH: 216,
      padX: 0,
      padY: 4,
    });
    expect(letterboxGeometry(2000, 662, 416, 416, 'topleft')).toMatchObject({
      newW: 416,
      newH: 138,
      padX: 0,
      padY: 0,
    });
    expect(letterboxGeometry(300, 600, 416, 416, 'center')).toMatchObject({
      newW: 208,
      newH: 416,
      padX: 104,
      padY: 0,
    });
  });

  for (const mode of ['center', 'topleft'] as LetterboxMode[]) {
    it(`maps boxes to the input and back (${mode})`, () => {
      for (const [w, h, iw, ih] of [
        [640, 360, 384, 224],
        [1920, 1080, 416, 416],
        [480, 640, 320, 320],
        [100, 50, 640, 640],
      ] as const) {
        const g = letterboxGeometry(w, h, iw, ih, mode);
        const box: Box = [w * 0.1, h * 0.2, w * 0.7, h * 0.9];
        const input = toInputPx(box, g);
        for (const v of input) expect(v).toBeGreaterThanOrEqual(0);
        expect(input[2]).toBeLessThanOrEqual(iw + 1e-6);
        expect(input[3]).toBeLessThanOrEqual(ih + 1e-6);
        toFramePx(input, g).forEach((v, i) => expect(v).toBeCloseTo(box[i] as number, 6));
        // The frame's corners land on the content area, inside the padding.
        const corners = toInputPx([0, 0, w, h], g);
        expect(corners[0]).toBe(g.padX);
        expect(corners[1]).toBe(g.padY);
        if (mode === 'topleft') expect([g.padX, g.padY]).toEqual([0, 0]);
      }
    });
  }
});

describe('preprocessor', () => {
  it('writes RGB 0..1 planes with 114 padding, centred', () => {
    const p = createPreprocessor(8, 8, {
      letterbox: 'center',
      channels: 'rgb',
      scale: 1 / 255,
      padValue: 114,
    });
    const g = p.run(frameOf(8, 4, () => [10, 20, 30]));
    expect(g).toMatchObject({ newW: 8, newH: 4, padY: 2 });
    const at = (c: number, x: number, y: number): number => p.input[c * 64 + y * 8 + x] as number;
    expect(at(0, 3, 3)).toBeCloseTo(10 / 255, 6);
    expect(at(1, 3, 3)).toBeCloseTo(20 / 255, 6);
    expect(at(2, 3, 3)).toBeCloseTo(30 / 255, 6);
    for (const y of [0, 1, 6, 7]) for (let c = 0; c < 3; c++) expect(at(c, 5, y)).toBeCloseTo(114 / 255, 6);
  });

  it('writes BGR 0..255 planes, top-left', () => {
    const p = createPreprocessor(8, 8, { letterbox: 'topleft', channels: 'bgr', scale: 1, padValue: 114 });
    p.run(frameOf(4, 8, () => [10, 20, 30]));
    const at = (c: number, x: number, y: number): number => p.input[c * 64 + y * 8 + x] as number;
    expect([at(0, 0, 0), at(1, 0, 0), at(2, 0, 0)]).toEqual([30, 20, 10]);
    expect([at(0, 4, 0), at(1, 7, 7), at(2, 5, 3)]).toEqual([114, 114, 114]);
  });

  it('copies a frame of the input size exactly and halves a ramp by averaging pixel pairs', () => {
    const ramp = frameOf(16, 8, (x, y) => [x * 10, y * 20, 255 - x]);
    const same = createPreprocessor(16, 8, { letterbox: 'center', channels: 'rgb', scale: 1, padValue: 0 });
    same.run(ramp);
    expect(same.input[3]).toBe(30);
    expect(same.input[128 + 5 * 16 + 2]).toBe(100);
    const half = createPreprocessor(8, 4, { letterbox: 'center', channels: 'rgb', scale: 1, padValue: 0 });
    half.run(ramp);
    for (let x = 0; x < 8; x++) expect(half.input[x]).toBeCloseTo((2 * x * 10 + (2 * x + 1) * 10) / 2, 4);
    for (let y = 0; y < 4; y++)
      expect(half.input[32 + y * 8]).toBeCloseTo((2 * y * 20 + (2 * y + 1) * 20) / 2, 4);
  });

  it('refills the padding when the frame size changes and rejects short buffers', () => {
    const p = createPreprocessor(8, 8, { letterbox: 'center', channels: 'rgb', scale: 1, padValue: 114 });
    p.run(frameOf(8, 8, () => [1, 1, 1]));
    p.run(frameOf(8, 4, () => [2, 2, 2]));
    expect(p.input[0]).toBe(114);
    expect(p.input[3 * 8]).toBe(2);
    expect(() => p.run({ width: 8, height: 8, data: Buffer.alloc(10) })).toThrow(/expected 192/);
  });
});
