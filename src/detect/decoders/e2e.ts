// End-to-end exports with NMS inside the graph (YOLOv10, YOLO26, `nms=True` exports):
// output [1, N, 6] = x1, y1, x2, y2 (input pixels), score, class id. Input as Ultralytics:
// RGB 0..1, centred letterbox, pad 114.
import type { Candidate } from '../nms.js';
import { shapeText, type Decoder } from './types.js';

export const e2eDecoder: Decoder = {
  family: 'e2e',
  preprocess: { letterbox: 'center', channels: 'rgb', scale: 1 / 255, padValue: 114 },
  needsNms: false,
  classesFromShape(dims, numClasses) {
    if (dims.length !== 3 || dims[0] !== 1 || dims[2] !== 6)
      return `expected output [1, N, 6], got ${shapeText(dims)}`;
    if (numClasses === null)
      return 'an end-to-end output does not tell the number of classes: give the labels (metadata names or detector.labelsFile)';
    return numClasses;
  },
  decode({ data, dims, thresholds }) {
    const n = dims[1] as number;
    const out: Candidate[] = [];
    for (let i = 0, row = 0; i < n; i++, row += 6) {
      const score = data[row + 4] as number;
      const c = Math.round(data[row + 5] as number);
      const thr = thresholds[c];
      if (thr === undefined || c < 0 || !(score >= thr)) continue;
      out.push({
        classId: c,
        score,
        box: [data[row] as number, data[row + 1] as number, data[row + 2] as number, data[row + 3] as number],
      });
    }
    return out;
  },
};
