// YOLOX (Megvii) ONNX export: input BGR 0..255, top-left letterbox, pad 114; output
// [1, N, 5 + nc] per anchor point = (x, y, log w, log h) relative to its grid cell, objectness,
// class scores (sigmoid already applied). Anchor points: strides 8, 16, 32, row-major.
// Score = objectness × class score.
import type { Candidate } from '../nms.js';
import { anchorCount, argmax, shapeText, type Decoder } from './types.js';

const STRIDES = [8, 16, 32] as const;

interface Grid {
  w: number;
  h: number;
  gx: Float32Array;
  gy: Float32Array;
  stride: Float32Array;
}
let cached: Grid | null = null;

function grid(inputW: number, inputH: number): Grid {
  if (cached && cached.w === inputW && cached.h === inputH) return cached;
  const n = anchorCount(inputW, inputH, STRIDES);
  const g: Grid = {
    w: inputW,
    h: inputH,
    gx: new Float32Array(n),
    gy: new Float32Array(n),
    stride: new Float32Array(n),
  };
  let i = 0;
  for (const s of STRIDES) {
    const hs = Math.ceil(inputH / s);
    const ws = Math.ceil(inputW / s);
    for (let y = 0; y < hs; y++) {
      for (let x = 0; x < ws; x++, i++) {
        g.gx[i] = x;
        g.gy[i] = y;
        g.stride[i] = s;
      }
    }
  }
  cached = g;
  return g;
}

export const yoloxDecoder: Decoder = {
  family: 'yolox',
  preprocess: { letterbox: 'topleft', channels: 'bgr', scale: 1, padValue: 114 },
  needsNms: true,
  classesFromShape(dims, numClasses, inputW, inputH) {
    if (dims.length !== 3 || dims[0] !== 1) return `expected output [1, N, 5+nc], got ${shapeText(dims)}`;
    const n = anchorCount(inputW, inputH, STRIDES);
    if (dims[1] !== n)
      return `output ${shapeText(dims)} does not have the ${n} anchor points of a ${inputW}x${inputH} input at strides 8/16/32`;
    const k = dims[2] as number;
    if (k < 6) return `expected output [1, N, 5+nc] with nc ≥ 1, got ${shapeText(dims)}`;
    if (numClasses !== null && k !== 5 + numClasses)
      return `output ${shapeText(dims)} has ${k - 5} class scores but there are ${numClasses} labels`;
    return k - 5;
  },
  decode({ data, dims, inputW, inputH, thresholds }) {
    const n = dims[1] as number;
    const k = dims[2] as number;
    const nc = k - 5;
    const g = grid(inputW, inputH);
    let minThr = Infinity;
    for (const t of thresholds) minThr = Math.min(minThr, t);
    const out: Candidate[] = [];
    for (let i = 0, row = 0; i < n; i++, row += k) {
      const obj = data[row + 4] as number;
      if (!(obj >= minThr)) continue; // class scores are ≤ 1, so obj × cls < minThr
      const [c, cls] = argmax(data, row + 5, nc);
      const score = obj * cls;
      if (!(score >= (thresholds[c] as number))) continue;
      const s = g.stride[i] as number;
      const cx = ((data[row] as number) + (g.gx[i] as number)) * s;
      const cy = ((data[row + 1] as number) + (g.gy[i] as number)) * s;
      const w = Math.exp(data[row + 2] as number) * s;
      const h = Math.exp(data[row + 3] as number) * s;
      out.push({ classId: c, score, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2] });
    }
    return out;
  },
};
