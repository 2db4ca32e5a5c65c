// Flip test: the model also looks at the mirrored input, and each candidate's box and scores are
// the mean of the two looks (the mirrored look mapped back). A phantom seen in one look only loses
// half its score; an item the model is unsure of in one orientation gets a second look. Only for
// our own model's output ([1, N, 4 + nc], x1 y1 x2 y2 in input pixels): one stride-8 grid, row by
// row, each cell a fixed number of candidates (one per class; tools/train/model.py decode()).

/** The stride of our model's head (metadata `stride`). */
export const FLIP_STRIDE = 8;

/**
 * For each output row, the row of the same candidate at the mirrored cell; null when the row count
 * is not a whole number of candidates per cell of the stride grid (then the flip is refused).
 */
export function mirrorIndex(
  inputW: number,
  inputH: number,
  rows: number,
  stride: number = FLIP_STRIDE,
): Int32Array | null {
  if (inputW % stride !== 0 || inputH % stride !== 0) return null;
  const w = inputW / stride;
  const cells = w * (inputH / stride);
  if (rows % cells !== 0) return null;
  const per = rows / cells;
  const map = new Int32Array(rows);
  for (let cell = 0; cell < cells; cell++) {
    const c = cell % w;
    const mirror = cell - c + (w - 1 - c);
    for (let j = 0; j < per; j++) map[cell * per + j] = mirror * per + j;
  }
  return map;
}

/** The input [1, 3, H, W] mirrored left to right, into `out`. */
export function mirrorInput(input: Float32Array, h: number, w: number, out: Float32Array): Float32Array {
  for (let row = 0; row < 3 * h; row++) {
    const o = row * w;
    for (let x = 0; x < w; x++) out[o + x] = input[o + w - 1 - x] as number;
  }
  return out;
}

/**
 * The mean of the plain output `a` and the mirrored input's output `b` ([1, N, 4 + nc] each),
 * `b`'s anchors and boxes mapped back through `map` (from mirrorIndex), written over `a`.
 */
export function averageMirrored(
  a: Float32Array,
  b: Float32Array,
  k: number,
  inputW: number,
  map: Int32Array,
): Float32Array {
  for (let i = 0; i < map.length; i++) {
    const p = i * k;
    const q = (map[i] as number) * k;
    const x1 = inputW - (b[q + 2] as number);
    const x2 = inputW - (b[q] as number);
    a[p] = ((a[p] as number) + x1) / 2;
    a[p + 1] = ((a[p + 1] as number) + (b[q + 1] as number)) / 2;
    a[p + 2] = ((a[p + 2] as number) + x2) / 2;
    a[p + 3] = ((a[p + 3] as number) + (b[q + 3] as number)) / 2;
    for (let j = 4; j < k; j++) a[p + j] = ((a[p + j] as number) + (b[q + j] as number)) / 2;
  }
  return a;
}
