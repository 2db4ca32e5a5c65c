// The status of one camera: state with timestamps, measured rates and counters. Calls `onChange`
// whenever state, lastError or idle changes; rates are read when a snapshot is taken.
import type { CameraState, CameraStatus } from '../types.js';

export const FPS_WINDOW_MS = 1000;

/** Frames per second over a sliding window of arrival times (wall clock). */
export interface RateMeter {
  tick(nowMs: number): void;
  rate(nowMs: number): number;
}

export function createRateMeter(windowMs = FPS_WINDOW_MS): RateMeter {
  let times: number[] = [];
  const trim = (now: number): void => {
    let i = 0;
    while (i < times.length && (times[i] as number) <= now - windowMs) i++;
    if (i > 0) times = times.slice(i);
  };
  return {
    tick(now) {
      times.push(now);
      trim(now);
    },
    rate(now) {
      trim(now);
      const n = times.length;
      if (n === 0) return 0;
      const span = (times[n - 1] as number) - (times[0] as number);
      // Intervals between the frames in the window: steady at 5 fps, unlike a raw count.
      return n >= 3 && span > 0 ? ((n - 1) * 1000) / span : (n * 1000) / windowMs;
    },
  };
}

export interface StatusTracker {
  set(state: CameraState, lastError?: string | null): void;
  setIdle(idle: boolean): void;
  ingested(nowMs: number, frameTs: number): void;
  forwarded(nowMs: number): void;
  dropped(n: number): void;
  skipped(): void;
  restarted(): void;
  state(): CameraState;
  snapshot(nowMs?: number): CameraStatus;
}

export function createStatusTracker(
  cameraId: string,
  onChange: (s: CameraStatus) => void,
  clock: () => number = Date.now,
): StatusTracker {
  const detect = createRateMeter();
  const ingest = createRateMeter();
  const s: CameraStatus = {
    cameraId,
    // Not started yet: start() moves to 'connecting' (and emits).
    state: 'offline',
    since: clock(),
    fps: 0,
    ingestFps: 0,
    framesTotal: 0,
    framesDropped: 0,
    framesSkipped: 0,
    lastFrameTs: null,
    lastError: null,
    restarts: 0,
    idle: false,
  };
  const snapshot = (now = clock()): CameraStatus => ({
    ...s,
    fps: Math.round(detect.rate(now) * 10) / 10,
    ingestFps: Math.round(ingest.rate(now) * 10) / 10,
  });

  return {
    set(state, lastError) {
      const errorChanged = lastError !== undefined && lastError !== s.lastError;
      if (state === s.state && !errorChanged) return;
      if (state !== s.state) s.since = clock();
      s.state = state;
      if (lastError !== undefined) s.lastError = lastError;
      onChange(snapshot());
    },
    setIdle(idle) {
      if (s.idle === idle) return;
      s.idle = idle;
      onChange(snapshot());
    },
    ingested(now, frameTs) {
      s.framesTotal++;
      s.lastFrameTs = frameTs;
      ingest.tick(now);
    },
    forwarded(now) {
      detect.tick(now);
    },
    dropped(n) {
      s.framesDropped += n;
    },
    skipped() {
      s.framesSkipped = (s.framesSkipped ?? 0) + 1;
    },
    restarted() {
      s.restarts++;
    },
    state: () => s.state,
    snapshot,
  };
}
