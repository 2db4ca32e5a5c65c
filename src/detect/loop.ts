// Daemon wiring of the detector: bus 'frame' → detect → bus 'detections'. At most two frames
// with the detector: one in inference, the next already letterboxed and queued behind it, so the
// model never waits for the letterbox or for this thread. Each camera has a one-frame slot, so
// while the detector is full the newest frame replaces the waiting one (the replaced frame is
// counted as dropped). Cameras take turns.
import { dropFrame, holdFrame } from '../frame-pool.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Frame } from '../types.js';
import type { Detector } from './detector.js';

export interface DetectLoopDeps {
  detector: Pick<Detector, 'detect'>;
  bus: EventBus;
  log: Logger;
}

export interface DetectLoopStats {
  processed: number;
  dropped: number;
  errors: number;
  busy: boolean;
  /** Detect-stage ms of the last frame (null before the first). */
  lastInferenceMs: number | null;
  /** Median detect-stage ms over the last 100 frames (null before the first). */
  p50Ms: number | null;
}

export interface DetectLoop {
  start(): void;
  /** Stops intake and waits for the inference in flight. */
  stop(): Promise<void>;
  stats(): DetectLoopStats;
}

const WINDOW = 100;
/** Frames handed to the detector and not yet back (see the top of the file). */
export const MAX_IN_FLIGHT = 2;

export function createDetectLoop(deps: DetectLoopDeps): DetectLoop {
  const { detector, bus, log } = deps;
  const waiting = new Map<string, Frame>();
  const recentMs: number[] = [];
  let unsubscribe: (() => void) | null = null;
  const inFlight = new Set<Promise<void>>();
  let processed = 0;
  let dropped = 0;
  let errors = 0;
  let lastInferenceMs: number | null = null;

  const next = (): Frame | null => {
    // Map iteration follows insertion order; a camera's new frame is re-inserted at the end,
    // so the camera that waited longest goes first.
    for (const [cameraId, frame] of waiting) {
      waiting.delete(cameraId);
      return frame;
    }
    return null;
  };

  const pump = (): void => {
    while (inFlight.size < MAX_IN_FLIGHT) {
      const frame = next();
      if (!frame) return;
      const outcome = detector.detect(frame).then(
        (result) => ({ result, err: null }),
        (err: unknown) => ({ result: null, err }),
      );
      const done: Promise<void> = outcome.then(({ result, err }) => {
        inFlight.delete(done);
        dropFrame(frame.data);
        // The next inference is queued before this frame's results go down the pipeline (tray,
        // verify, store), so that work overlaps the model instead of delaying it.
        if (unsubscribe) pump();
        if (result) {
          processed++;
          lastInferenceMs = result.inferenceMs;
          recentMs.push(result.inferenceMs);
          if (recentMs.length > WINDOW) recentMs.shift();
          bus.emit('detections', result);
        } else {
          errors++;
          log.error({ err, camera: frame.cameraId, seq: frame.seq }, 'detection failed');
        }
      });
      inFlight.add(done);
    }
  };

  const onFrame = (frame: Frame): void => {
    // Held from the slot until its detection is done (frame-pool.ts).
    holdFrame(frame.data);
    const replaced = waiting.get(frame.cameraId);
    if (replaced) {
      waiting.delete(frame.cameraId);
      dropFrame(replaced.data);
      dropped++;
    }
    waiting.set(frame.cameraId, frame);
    pump();
  };

  return {
    start() {
      if (unsubscribe) return;
      unsubscribe = bus.on('frame', 'detect', onFrame);
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      for (const frame of waiting.values()) dropFrame(frame.data);
      waiting.clear();
      // A result handled after stop is still emitted (the pipeline drains it).
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    stats() {
      const sorted = [...recentMs].sort((a, b) => a - b);
      return {
        processed,
        dropped,
        errors,
        busy: inFlight.size > 0,
        lastInferenceMs,
        p50Ms: sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] as number) : null,
      };
    },
  };
}
