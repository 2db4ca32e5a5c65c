// Our own model (tools/train export): input `images` [1,3,H,W] RGB 0..1, centred letterbox,
// pad 114; output [1, N, 4 + nc] = x1, y1, x2, y2 in input pixels, then nc class scores in 0..1.
import type { Candidate } from '../nms.js';
import { argmax, shapeText, type Decoder } from './types.js';

export const traycheckDecoder: Decoder = {
  family: 'traycheck',
  preprocess: { letterbox: 'center', channels: 'rgb', scale: 1 / 255, padValue: 114 },
  needsNms: true,
  classesFromShape(dims, numClasses) {
    if (dims.length !== 3 || dims[0] !== 1) return `expected output [1, N, 4+nc], got ${shapeText(dims)}`;
    const k = dims[2] as number;
    if (k < 5) return `expected output [1, N, 4+nc] with nc ≥ 1, got ${shapeText(dims)}`;
    if (numClasses !== null && k !== 4 + numClasses)
      return `output ${shapeText(dims)} has ${k - 4} class scores but there are ${numClasses} labels`;
    return k - 4;
  },
  decode({ data, dims, thresholds }) {
    const n = dims[1] as number;
    const k = dims[2] as number;
    const nc = k - 4;
    const out: Candidate[] = [];
    for (let i = 0, row = 0; i < n; i++, row += k) {
      const [c, score] = argmax(data, row + 4, nc);
      if (!(score >= (thresholds[c] as number))) continue;
      out.push({
        classId: c,
        score,
        box: [data[row] as number, data[row + 1] as number, data[row + 2] as number, data[row + 3] as number],
      });
    }
    return out;
  },
};
