// Ultralytics YOLOv8/11-style export: input RGB 0..1, centred letterbox, pad 114; output
// [1, 4 + nc, N] channel-major: cx, cy, w, h in input pixels, then nc class scores in 0..1.
import type { Candidate } from '../nms.js';
import { argmax, shapeText, type Decoder } from './types.js';

export const yolov8Decoder: Decoder = {
  family: 'yolov8',
  preprocess: { letterbox: 'center', channels: 'rgb', scale: 1 / 255, padValue: 114 },
  needsNms: true,
  classesFromShape(dims, numClasses) {
    if (dims.length !== 3 || dims[0] !== 1) return `expected output [1, 4+nc, N], got ${shapeText(dims)}`;
    const k = dims[1] as number;
    if (k < 5) return `expected output [1, 4+nc, N] with nc ≥ 1, got ${shapeText(dims)}`;
    if (numClasses !== null && k !== 4 + numClasses)
      return `output ${shapeText(dims)} has ${k - 4} class rows but there are ${numClasses} labels`;
    return k - 4;
  },
  decode({ data, dims, thresholds }) {
    const k = dims[1] as number;
    const n = dims[2] as number;
    const out: Candidate[] = [];
    for (let i = 0; i < n; i++) {
      const [c, score] = argmax(data, 4 * n + i, k - 4, n);
      if (!(score >= (thresholds[c] as number))) continue;
      const cx = data[i] as number;
      const cy = data[n + i] as number;
      const w = data[2 * n + i] as number;
      const h = data[3 * n + i] as number;
      out.push({ classId: c, score, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2] });
    }
    return out;
  },
};
