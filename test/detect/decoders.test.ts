import { describe, expect, it } from 'vitest';
import { e2eDecoder } from '../../src/detect/decoders/e2e.js';
import { traycheckDecoder } from '../../src/detect/decoders/traycheck.js';
import { anchorCount } from '../../src/detect/decoders/types.js';
import { yolov8Decoder } from '../../src/detect/decoders/yolov8.js';
import { yoloxDecoder } from '../../src/detect/decoders/yolox.js';
import { letterboxGeometry } from '../../src/detect/letterbox.js';
import type { Candidate } from '../../src/detect/nms.js';
import { postprocess, postprocessAll } from '../../src/detect/postprocess.js';
import type { Box } from '../../src/types.js';

const W = 64;
const H = 64;
const LABELS = ['burger', 'fries', 'drink'];
const thr = (...t: number[]): Float32Array => Float32Array.from(t.length ? t : LABELS.map(() => 0.3));

/** Rows for the traycheck layout [1, N, 4+nc]: box corners then class scores. */
function traycheckTensor(rows: Array<{ box: Box; scores: number[] }>): {
  data: Float32Array;
  dims: number[];
} {
  const k = 4 + LABELS.length;
  const data = new Float32Array(rows.length * k);
  rows.forEach((r, i) => data.set([...r.box, ...r.scores], i * k));
  return { data, dims: [1, rows.length, k] };
}

/** Identity geometry: frame is the model input, so boxes map 1:1. */
const identity = letterboxGeometry(W, H, W, H, 'center');
const post = (c: Candidate[], needsNms = true) =>
  postprocess(c, { needsNms, nmsIou: 0.45, maxDetections: 100, geometry: identity, labels: LABELS });

describe('traycheck decoder ([1, N, 4+nc], corners)', () => {
  it('finds nothing when every score is below the threshold', () => {
    const t = traycheckTensor([{ box: [1, 1, 20, 20], scores: [0.1, 0.29, 0] }]);
    expect(traycheckDecoder.decode({ ...t, inputW: W, inputH: H, thresholds: thr() })).toEqual([]);
    expect(
      traycheckDecoder.decode({
        data: new Float32Array(0),
        dims: [1, 0, 7],
        inputW: W,
        inputH: H,
        thresholds: thr(),
      }),
    ).toEqual([]);
  });

  it('keeps one box per class when all boxes overlap', () => {
    const t = traycheckTensor([
      { box: [10, 10, 40, 40], scores: [0.6, 0, 0] },
      { box: [11, 10, 41, 40], scores: [0.9, 0, 0] },
      { box: [10, 12, 40, 42], scores: [0.7, 0, 0] },
      { box: [12, 11, 40, 40], scores: [0, 0, 0.5] },
      { box: [10, 10, 39, 41], scores: [0, 0, 0.8] },
    ]);
    const dets = post(traycheckDecoder.decode({ ...t, inputW: W, inputH: H, thresholds: thr() }));
    expect(dets.map((d) => [d.label, d.score.toFixed(1)])).toEqual([
      ['burger', '0.9'],
      ['drink', '0.8'],
    ]);
    expect(dets[0]?.box).toEqual([11, 10, 41, 40]);
  });

  it('class-wise NMS keeps overlapping boxes of different classes and distant boxes of one class', () => {
    const t = traycheckTensor([
      { box: [10, 10, 30, 30], scores: [0.9, 0, 0] },
      { box: [10, 10, 30, 30], scores: [0, 0.8, 0] },
      { box: [40, 40, 60, 60], scores: [0.7, 0, 0] },
    ]);
    const dets = post(traycheckDecoder.decode({ ...t, inputW: W, inputH: H, thresholds: thr() }));
    expect(dets.map((d) => d.label)).toEqual(['burger', 'fries', 'burger']);
  });

  it('applies per-class thresholds to the best class of each box', () => {
    const t = traycheckTensor([
      { box: [0, 0, 10, 10], scores: [0.4, 0, 0] },
      { box: [20, 0, 30, 10], scores: [0, 0.4, 0] },
      { box: [40, 0, 50, 10], scores: [0, 0.2, 0.35] },
    ]);
    const dets = traycheckDecoder.decode({ ...t, inputW: W, inputH: H, thresholds: thr(0.5, 0.3, 0.3) });
    expect(dets.map((d) => [d.classId, d.score.toFixed(2)])).toEqual([
      [1, '0.40'],
      [2, '0.35'],
    ]);
  });

  it('clips boxes partly outside the frame and drops boxes wholly outside', () => {
    const t = traycheckTensor([
      { box: [-10, -5, 20, 30], scores: [0.9, 0, 0] },
      { box: [50, 50, 90, 70], scores: [0, 0.9, 0] },
      { box: [70, 10, 90, 30], scores: [0, 0, 0.9] },
      { box: [10, -30, 20, -1], scores: [0, 0, 0.8] },
    ]);
    const dets = post(traycheckDecoder.decode({ ...t, inputW: W, inputH: H, thresholds: thr() }));
    expect(dets).toEqual([
      { label: 'burger', score: expect.closeTo(0.9, 5) as number, box: [0, 0, 20, 30] },
      { label: 'fries', score: expect.closeTo(0.9, 5) as number, box: [50, 50, 64, 64] },
    ]);
  });

  it('checks the output shape against the labels', () => {
    expect(traycheckDecoder.classesFromShape([1, 100, 7], 3, W, H)).toBe(3);
    expect(traycheckDecoder.classesFromShape([1, 100, 7], null, W, H)).toBe(3);
    expect(traycheckDecoder.classesFromShape([1, 100, 8], 3, W, H)).toMatch(
      /4 class scores but there are 3 labels/,
    );
    expect(traycheckDecoder.classesFromShape([100, 7], 3, W, H)).toMatch(/expected output \[1, N, 4\+nc\]/);
  });
});

describe('yolox decoder (grid-relative, obj × cls)', () => {
  const n = anchorCount(W, H); // 8² + 4² + 2² = 84
  const k = 5 + LABELS.length;

  it('decodes grid-relative boxes with the stride of their level', () => {
    expect(n).toBe(84);
    const data = new Float32Array(n * k);
    const i = 64 + 2 * 4 + 1; // stride 16 level, grid x = 1, y = 2
    data.set([0.5, 0.5, Math.log(2), 0, 0.8, 0.1, 0.5, 0.2], i * k);
    const c = yoloxDecoder.decode({ data, dims: [1, n, k], inputW: W, inputH: H, thresholds: thr() });
    expect(c).toHaveLength(1);
    expect(c[0]?.classId).toBe(1);
    expect(c[0]?.score).toBeCloseTo(0.4, 5);
    c[0]?.box.forEach((v, j) => expect(v).toBeCloseTo([8, 32, 40, 48][j] as number, 4));
  });

  it('scores are objectness × class: a confident class under low objectness is dropped', () => {
    const data = new Float32Array(n * k);
    data.set([0, 0, 0, 0, 0.25, 0.99, 0, 0], 3 * k);
    data.set([0, 0, 0, 0, 0.9, 0.3, 0, 0], 5 * k);
    expect(yoloxDecoder.decode({ data, dims: [1, n, k], inputW: W, inputH: H, thresholds: thr() })).toEqual(
      [],
    );
  });

  it('keeps one per class among overlapping anchors', () => {
    const data = new Float32Array(n * k);
    for (const [i, s] of [
      [10, 0.9],
      [11, 0.8],
      [12, 0.7],
    ] as const)
      data.set([0.5, 0.5, Math.log(8), Math.log(8), 1, s, 0, 0], i * k);
    // neighbouring stride-8 cells, 64 px boxes whose centres are 8 and 16 px apart → IoU ≥ 0.6
    const dets = post(
      yoloxDecoder.decode({ data, dims: [1, n, k], inputW: W, inputH: H, thresholds: thr() }),
    );
    expect(dets.map((d) => d.label)).toEqual(['burger']);
  });

  it('refuses an output that lacks the anchor points of the input size', () => {
    expect(yoloxDecoder.classesFromShape([1, 84, 8], 3, W, H)).toBe(3);
    expect(yoloxDecoder.classesFromShape([1, 3549, 85], 80, 416, 416)).toBe(80);
    expect(yoloxDecoder.classesFromShape([1, 83, 8], 3, W, H)).toMatch(/84 anchor points/);
    expect(yoloxDecoder.classesFromShape([1, 84, 9], 3, W, H)).toMatch(
      /4 class scores but there are 3 labels/,
    );
  });
});

describe('yolov8 decoder ([1, 4+nc, N], centre + size)', () => {
  it('reads the channel-major layout', () => {
    const nBoxes = 3;
    const data = new Float32Array((4 + LABELS.length) * nBoxes);
    const set = (row: number, col: number, v: number): void => void (data[row * nBoxes + col] = v);
    // box 1: centre (32, 20), 20 × 10, drink 0.7
    [32, 20, 20, 10].forEach((v, r) => set(r, 1, v));
    set(4 + 2, 1, 0.7);
    set(4 + 0, 1, 0.2);
    // box 2: below threshold
    set(4 + 1, 2, 0.1);
    const c = yolov8Decoder.decode({
      data,
      dims: [1, 4 + LABELS.length, nBoxes],
      inputW: W,
      inputH: H,
      thresholds: thr(),
    });
    expect(c).toEqual([{ classId: 2, score: expect.closeTo(0.7, 5) as number, box: [22, 15, 42, 25] }]);
    expect(yolov8Decoder.classesFromShape([1, 84, 8400], 80, 640, 640)).toBe(80);
    expect(yolov8Decoder.classesFromShape([1, 84, 8400], 3, 640, 640)).toMatch(
      /80 class rows but there are 3 labels/,
    );
  });
});

describe('e2e decoder ([1, N, 6], already suppressed)', () => {
  it('takes boxes as they are, without NMS, and skips unknown class ids', () => {
    const data = Float32Array.from([
      ...[10, 10, 30, 30, 0.9, 0],
      ...[11, 10, 31, 30, 0.8, 0],
      ...[0, 0, 5, 5, 0.95, 7],
      ...[0, 0, 5, 5, 0.1, 1],
    ]);
    const c = e2eDecoder.decode({ data, dims: [1, 4, 6], inputW: W, inputH: H, thresholds: thr() });
    expect(c.map((x) => x.classId)).toEqual([0, 0]);
    expect(post(c, e2eDecoder.needsNms)).toHaveLength(2);
    expect(e2eDecoder.classesFromShape([1, 300, 6], null, W, H)).toMatch(/give the labels/);
    expect(e2eDecoder.classesFromShape([1, 300, 6], 3, W, H)).toBe(3);
  });
});

describe('postprocess', () => {
  it('maps letterboxed boxes back to frame pixels', () => {
    const geometry = letterboxGeometry(640, 360, 384, 224, 'center'); // scale 0.6, pad y 4
    const dets = postprocess([{ classId: 0, score: 0.9, box: [60, 64, 120, 124] }], {
      needsNms: true,
      nmsIou: 0.45,
      maxDetections: 10,
      geometry,
      labels: ['burger'],
    });
    dets[0]?.box.forEach((v, j) => expect(v).toBeCloseTo([100, 100, 200, 200][j] as number, 4));
  });

  it('keeps at most maxDetections, best first', () => {
    const c = Array.from({ length: 20 }, (_, i) => ({
      classId: 0,
      score: i / 20,
      box: [i * 3, 0, i * 3 + 2, 2] as Box,
    }));
    const dets = postprocess(c, {
      needsNms: true,
      nmsIou: 0.45,
      maxDetections: 5,
      geometry: identity,
      labels: LABELS,
    });
    expect(dets.map((d) => d.score)).toEqual([0.95, 0.9, 0.85, 0.8, 0.75]);
  });
});

describe('faint candidates (detector.faintScore)', () => {
  const opts = { needsNms: true, nmsIou: 0.45, maxDetections: 100, geometry: identity, labels: LABELS };
  const candidates: Candidate[] = [
    { classId: 0, score: 0.9, box: [0, 0, 20, 20] }, // a burger
    { classId: 0, score: 0.85, box: [2, 2, 21, 21] }, // the same burger again: NMS
    { classId: 0, score: 0.2, box: [30, 30, 44, 44] }, // a half-hidden second burger
    { classId: 1, score: 0.3, box: [1, 1, 20, 20] }, // the burger's runner-up label
    { classId: 2, score: 0.35, box: [48, 0, 60, 12] }, // a faint drink alone
    { classId: 2, score: 0.5, box: [48, 40, 60, 52] }, // a counted drink
  ];
  const countFrom = Float32Array.from([0.4, 0.4, 0.4]);

  it('come back apart, never among the counted detections, which are those without a floor', () => {
    const all = postprocessAll(candidates, { ...opts, rivals: { iou: 0.6, scoreRatio: 0.7 }, countFrom });
    const without = postprocess(
      candidates.filter((c) => c.score >= 0.4),
      { ...opts, rivals: { iou: 0.6, scoreRatio: 0.7 } },
    );
    expect(all.detections).toEqual(without);
    expect(all.detections.map((d) => `${d.label} ${d.score}`)).toEqual(['burger 0.9', 'drink 0.5']);
    // The runner-up "fries" on the counted burger is the same object: not evidence of fries.
    expect(all.faint.map((d) => `${d.label} ${d.score}`)).toEqual(['drink 0.35', 'burger 0.2']);
  });

  it('without countFrom every candidate counts (as postprocess always did)', () => {
    expect(postprocessAll(candidates, opts).faint).toEqual([]);
  });
});
