// What every output decoder provides: how its family preprocesses, which output shapes it
// accepts, and how it turns the raw output into candidate boxes in model input pixels.
import type { PreprocessSpec } from '../letterbox.js';
import type { Candidate } from '../nms.js';

export const FAMILIES = ['traycheck', 'yolox', 'yolov8', 'e2e'] as const;
export type Family = (typeof FAMILIES)[number];

export interface DecodeInput {
  data: Float32Array;
  dims: readonly number[];
  inputW: number;
  inputH: number;
  /** Minimum score per class id (index = class id). */
  thresholds: Float32Array;
}

export interface Decoder {
  family: Family;
  preprocess: PreprocessSpec;
  /** false when the model output is already suppressed (end-to-end models). */
  needsNms: boolean;
  /**
   * Number of classes this output shape implies, or a sentence saying why the shape does not fit.
   * `numClasses` is the label count when known (null when the model brings no labels).
   */
  classesFromShape(
    dims: readonly number[],
    numClasses: number | null,
    inputW: number,
    inputH: number,
  ): number | string;
  decode(input: DecodeInput): Candidate[];
}

/** Anchor points of a stride-8/16/32 detection head over an input of inputW × inputH. */
export function anchorCount(
  inputW: number,
  inputH: number,
  strides: readonly number[] = [8, 16, 32],
): number {
  let n = 0;
  for (const s of strides) n += Math.ceil(inputW / s) * Math.ceil(inputH / s);
  return n;
}

export const shapeText = (dims: readonly number[]): string => `[${dims.join(', ')}]`;

/** Index and value of the largest of data[from .. from + count * step) with the given step. */
export function argmax(data: Float32Array, from: number, count: number, step = 1): [number, number] {
  let best = -Infinity;
  let bestI = -1;
  for (let i = 0, p = from; i < count; i++, p += step) {
    const v = data[p] as number;
    if (v > best) {
      best = v;
      bestI = i;
    }
  }
  return [bestI, best];
}
