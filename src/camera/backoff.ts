// Reconnect delays: capped exponential backoff with jitter, retried forever (STYLE.md, Frigate's ffmpeg watchdog).

/** Delay before reconnect attempt `attempt` (0-based): initial · 2^attempt, capped, ±20 % jitter. */
export function backoffDelayMs(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  // Jitter keeps the cameras of one store (often behind one NVR) from reconnecting in lockstep.
  return Math.round(Math.min(maxMs, base * (0.8 + 0.4 * random())));
}

/** A stream that delivered frames this long is healthy again: the next failure starts from the initial delay. */
export const BACKOFF_RESET_MS = 10_000;
