// Reconnect delays: capped exponential backoff with jitter, retried forever (as Frigate's ffmpeg watchdog does).

export interface Outage {
  /** Reconnect attempts already made in this outage (0 before the first). */
  attempt: number;
  /** How long the camera has been without frames (since its last frame, or since start). */
  downForMs: number;
}

export interface BackoffLimits {
  initialMs: number;
  maxMs: number;
}

/**
 * Share of the outage so far that the next delay may not exceed. Plain doubling can leave the
 * next attempt a whole outage length away when the camera returns (down 3 s: the next try up to
 * 4.8 s later), and ffmpeg then still needs 1.5-2.5 s to its first frame (RTSP handshake, probe,
 * key frame). With a quarter, a camera down D seconds is retried within max(1.2 · initial,
 * 0.3 · D) of its return (jitter included), so a short blip stays short (issue: online within
 * 5 s of the server returning). A long outage still reaches `maxMs`, after about 4 · maxMs.
 */
export const OUTAGE_SHARE = 0.25;

/**
 * Delay before the next reconnect attempt: initial · 2^attempt, but no longer than a quarter of the
 * outage so far (and never under the initial delay), capped at maxMs, ±20 % jitter.
 */
export function backoffDelayMs(
  outage: Outage,
  limits: BackoffLimits,
  random: () => number = Math.random,
): number {
  const { initialMs, maxMs } = limits;
  const exponential = initialMs * 2 ** Math.min(Math.max(outage.attempt, 0), 30);
  const proportional = Math.max(initialMs, outage.downForMs * OUTAGE_SHARE);
  const base = Math.min(maxMs, exponential, proportional);
  // Jitter keeps the cameras of one store (often behind one NVR) from reconnecting in lockstep.
  return Math.round(Math.min(maxMs, base * (0.8 + 0.4 * random())));
}

/** The reconnect schedule of one camera: the attempt count and the start of the current outage. */
export interface ReconnectSchedule {
  /** The camera starts: an outage until its first frame. */
  started(nowMs: number): void;
  /** A connection delivered its first frame: the outage is over, the next one starts afresh. */
  connected(): void;
  /** ffmpeg exited; `lastFrameAtMs` is the last frame of that run (null: it had none). */
  nextDelayMs(nowMs: number, lastFrameAtMs: number | null): number;
  /** Attempts made in the current outage. */
  attempt(): number;
}

export function createReconnectSchedule(
  limits: BackoffLimits,
  random: () => number = Math.random,
): ReconnectSchedule {
  let attempt = 0;
  let downSince = 0;
  return {
    started(nowMs) {
      attempt = 0;
      downSince = nowMs;
    },
    connected() {
      attempt = 0;
    },
    nextDelayMs(nowMs, lastFrameAtMs) {
      // An outage runs from the last frame, not from the exit: a stall is noticed seconds late.
      if (lastFrameAtMs !== null) downSince = lastFrameAtMs;
      return backoffDelayMs({ attempt: attempt++, downForMs: nowMs - downSince }, limits, random);
    },
    attempt: () => attempt,
  };
}
