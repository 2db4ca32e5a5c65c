// Messages between the detector (daemon thread) and its worker thread (worker.ts). Input
// tensors travel as transferred buffers: the daemon fills one, the worker hands it back with the
// result, so nothing is copied and the buffers are reused.
import type { DetectorConfig } from '../config/schema.js';
import type { Detection } from '../types.js';
import type { LetterboxGeometry } from './letterbox.js';
import type { ModelInfo } from './model.js';

/** workerData of the detector's worker. */
export interface WorkerStart {
  config: DetectorConfig;
  /** Absolute path of the model. */
  modelFile: string;
}

/**
 * A model swap is two steps: `load` loads and warms a new session beside the running one (frames
 * keep flowing), then `swap` (queued behind the frames already sent) or `discard`.
 */
export type ToWorker =
  | { type: 'detect'; id: number; input: Float32Array; geometry: LetterboxGeometry }
  | { type: 'load'; id: number; modelFile: string }
  | { type: 'swap'; id: number }
  | { type: 'discard'; id: number }
  | { type: 'stop' };

/** An error as it crosses the thread boundary; `model` set for a ModelError. */
export interface WireError {
  message: string;
  stack?: string;
  model?: { file: string; problem: string };
}

export type FromWorker =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'failed'; error: WireError }
  | { type: 'log'; level: 'warn'; data: Record<string, unknown>; msg: string }
  | {
      type: 'result';
      id: number;
      input: Float32Array;
      detections: Detection[];
      faint: Detection[];
      runMs: number;
      decodeMs: number;
    }
  | { type: 'error'; id: number; input: Float32Array; error: WireError }
  | { type: 'loaded'; id: number; info: ModelInfo }
  | { type: 'load-failed'; id: number; error: WireError }
  | { type: 'swapped'; id: number }
  | { type: 'discarded'; id: number }
  | { type: 'stopped' };
