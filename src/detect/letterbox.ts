// Letterbox an rgb24 frame into the model input (NCHW float32), in plain TS over the Buffer.
// Bilinear with half-pixel centres (as cv2.resize INTER_LINEAR, which YOLOX and Ultralytics
// preprocess with), written straight into one reused Float32Array.
import type { Box } from '../types.js';

export type LetterboxMode = 'center' | 'topleft';

export interface PreprocessSpec {
  letterbox: LetterboxMode;
  channels: 'rgb' | 'bgr';
  /** Multiplies the 0..255 byte value: 1/255 for 0..1 models, 1 for 0..255. */
  scale: number;
  /** Padding value in 0..255 (before `scale`). */
  padValue: number;
}

export interface LetterboxGeometry {
  srcW: number;
  srcH: number;
  dstW: number;
  dstH: number;
  /** Input pixels per frame pixel. */
  scale: number;
  newW: number;
  newH: number;
  padX: number;
  padY: number;
}

export function letterboxGeometry(
  srcW: number,
  srcH: number,
  dstW: number,
  dstH: number,
  mode: LetterboxMode,
): LetterboxGeometry {
  const scale = Math.min(dstW / srcW, dstH / srcH);
  const newW = Math.max(1, Math.min(dstW, Math.round(srcW * scale)));
  const newH = Math.max(1, Math.min(dstH, Math.round(srcH * scale)));
  const padX = mode === 'center' ? Math.floor((dstW - newW) / 2) : 0;
  const padY = mode === 'center' ? Math.floor((dstH - newH) / 2) : 0;
  return { srcW, srcH, dstW, dstH, scale, newW, newH, padX, padY };
}

/** Model input pixels → frame pixels (not clipped). */
export function toFramePx(box: Box, g: LetterboxGeometry): Box {
  return [
    (box[0] - g.padX) / g.scale,
    (box[1] - g.padY) / g.scale,
    (box[2] - g.padX) / g.scale,
    (box[3] - g.padY) / g.scale,
  ];
}

/** Frame pixels → model input pixels. */
export function toInputPx(box: Box, g: LetterboxGeometry): Box {
  return [
    box[0] * g.scale + g.padX,
    box[1] * g.scale + g.padY,
    box[2] * g.scale + g.padX,
    box[3] * g.scale + g.padY,
  ];
}

/** Source sample positions for each destination index along one axis. */
function axisTable(src: number, dst: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(dst);
  const i1 = new Int32Array(dst);
  const w = new Float32Array(dst);
  const ratio = src / dst;
  for (let d = 0; d < dst; d++) {
    const s = Math.min(Math.max((d + 0.5) * ratio - 0.5, 0), src - 1);
    const lo = Math.floor(s);
    i0[d] = lo;
    i1[d] = Math.min(lo + 1, src - 1);
    w[d] = s - lo;
  }
  return { i0, i1, w };
}

export interface Preprocessor {
  /** The preprocessor's own input tensor data, [1, 3, dstH, dstW]: `run`'s default target. */
  readonly input: Float32Array;
  /** Letterboxes `frame` into `out` (default `input`), padding included. */
  run(frame: { width: number; height: number; data: Uint8Array }, out?: Float32Array): LetterboxGeometry;
}

export function createPreprocessor(dstW: number, dstH: number, spec: PreprocessSpec): Preprocessor {
  const plane = dstW * dstH;
  const input = new Float32Array(3 * plane);
  // Destination plane per source channel (r, g, b).
  const [pr, pg, pb] = spec.channels === 'rgb' ? [0, plane, 2 * plane] : [2 * plane, plane, 0];
  const k = spec.scale;
  const pad = spec.padValue * k;
  let geom: LetterboxGeometry | null = null;
  let xs: ReturnType<typeof axisTable> | null = null;
  let ys: ReturnType<typeof axisTable> | null = null;

  const prepare = (w: number, h: number): LetterboxGeometry => {
    if (geom && geom.srcW === w && geom.srcH === h) return geom;
    geom = letterboxGeometry(w, h, dstW, dstH, spec.letterbox);
    xs = axisTable(w, geom.newW);
    ys = axisTable(h, geom.newH);
    return geom;
  };

  /** Only the border outside the resized image: a few rows or columns, every call. */
  const fillPadding = (out: Float32Array, g: LetterboxGeometry): void => {
    const right = g.padX + g.newW;
    const bottom = g.padY + g.newH;
    for (let c = 0; c < 3; c++) {
      const base = c * plane;
      if (g.padY > 0) out.fill(pad, base, base + g.padY * dstW);
      if (bottom < dstH) out.fill(pad, base + bottom * dstW, base + plane);
      if (g.padX === 0 && right === dstW) continue;
      for (let y = g.padY; y < bottom; y++) {
        const row = base + y * dstW;
        if (g.padX > 0) out.fill(pad, row, row + g.padX);
        if (right < dstW) out.fill(pad, row + right, row + dstW);
      }
    }
  };

  return {
    input,
    run(frame, out = input) {
      const { width: w, height: h, data } = frame;
      if (data.length < w * h * 3)
        throw new Error(`frame data has ${data.length} bytes, expected ${w * h * 3} for ${w}x${h} rgb24`);
      if (out.length !== 3 * plane)
        throw new Error(`input buffer has ${out.length} values, expected ${3 * plane} for 3x${dstH}x${dstW}`);
      const g = prepare(w, h);
      fillPadding(out, g);
      const xt = xs as NonNullable<typeof xs>;
      const yt = ys as NonNullable<typeof ys>;
      const x0 = xt.i0;
      const x1 = xt.i1;
      const wx = xt.w;
      const stride = w * 3;
      for (let dy = 0; dy < g.newH; dy++) {
        const rowA = (yt.i0[dy] as number) * stride;
        const rowB = (yt.i1[dy] as number) * stride;
        const fy = yt.w[dy] as number;
        const gy = 1 - fy;
        let o = (dy + g.padY) * dstW + g.padX;
        for (let dx = 0; dx < g.newW; dx++, o++) {
          const a = rowA + (x0[dx] as number) * 3;
          const b = rowA + (x1[dx] as number) * 3;
          const c = rowB + (x0[dx] as number) * 3;
          const d = rowB + (x1[dx] as number) * 3;
          const fx = wx[dx] as number;
          const gx = 1 - fx;
          out[pr + o] =
            (((data[a] as number) * gx + (data[b] as number) * fx) * gy +
              ((data[c] as number) * gx + (data[d] as number) * fx) * fy) *
            k;
          out[pg + o] =
            (((data[a + 1] as number) * gx + (data[b + 1] as number) * fx) * gy +
              ((data[c + 1] as number) * gx + (data[d + 1] as number) * fx) * fy) *
            k;
          out[pb + o] =
            (((data[a + 2] as number) * gx + (data[b + 2] as number) * fx) * gy +
              ((data[c + 2] as number) * gx + (data[d + 2] as number) * fx) * fy) *
            k;
        }
      }
      return g;
    },
  };
}
