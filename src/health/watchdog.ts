// Feeds systemd's watchdog from the pipeline's real progress, not from a bare timer: when frames
// arrive but detection stops consuming them (a hung inference, a wedged stage), heartbeats stop and
// systemd restarts the daemon after WatchdogSec. A blocked event loop stops them too.
import type { Logger } from '../log.js';
import type { ComponentHealth } from './types.js';
import type { SystemdNotifier } from './systemd.js';

export interface WatchdogDeps {
  notifier: Pick<SystemdNotifier, 'watchdog'>;
  /** Heartbeat period; null or 0: the watchdog is off (start() does nothing). Usually notifier.watchdogIntervalMs. */
  intervalMs: number | null;
  /** true if the pipeline made progress since the last call (or is idle by design). */
  progress: () => boolean;
  log: Logger;
  now?: () => number;
}

export interface WatchdogStats {
  beats: number;
  withheld: number;
  lastBeatAt: number | null;
  /** When progress first failed in the current stall; null while healthy. */
  stalledSince: number | null;
}

export interface Watchdog {
  start(): void;
  stop(): void;
  /** One check: sends WATCHDOG=1 if progress() holds. Resolves true when a heartbeat went out. */
  tick(): Promise<boolean>;
  stats(): WatchdogStats;
  health(): ComponentHealth;
}

export function createWatchdog(deps: WatchdogDeps): Watchdog {
  const log = deps.log.child({ component: 'watchdog' });
  const now = deps.now ?? Date.now;
  const stats: WatchdogStats = { beats: 0, withheld: 0, lastBeatAt: null, stalledSince: null };
  let timer: NodeJS.Timeout | null = null;

  const tick = async (): Promise<boolean> => {
    let ok: boolean;
    try {
      ok = deps.progress();
    } catch (err) {
      log.error({ err }, 'progress check failed: treating as no progress');
      ok = false;
    }
    if (!ok) {
      stats.withheld++;
      if (stats.stalledSince === null) {
        stats.stalledSince = now();
        log.warn(
          'pipeline made no progress since the last check: withholding the systemd watchdog heartbeat',
        );
      }
      return false;
    }
    if (stats.stalledSince !== null) {
      log.info({ stalledMs: now() - stats.stalledSince }, 'pipeline progressing again');
      stats.stalledSince = null;
    }
    const sent = await deps.notifier.watchdog();
    if (sent) {
      stats.beats++;
      stats.lastBeatAt = now();
    }
    return sent;
  };

  return {
    start() {
      if (timer || !deps.intervalMs) return;
      log.info({ intervalMs: deps.intervalMs }, 'systemd watchdog on');
      timer = setInterval(() => void tick(), deps.intervalMs);
      // The heartbeat alone must not keep a stopping daemon alive.
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    tick,
    stats: () => ({ ...stats }),
    health() {
      if (stats.stalledSince === null) {
        return {
          state: 'ok',
          detail: deps.intervalMs ? 'pipeline progressing' : 'systemd watchdog off',
          data: { ...stats },
        };
      }
      const s = Math.round((now() - stats.stalledSince) / 1000);
      return {
        state: 'down',
        detail: `pipeline stalled for ${s} s: frames arrive but are not processed`,
        data: { ...stats },
      };
    },
  };
}

export interface PipelineCounters {
  /** Frames handed to detection so far (monotonic). */
  received: () => number;
  /** Frames detection finished so far (monotonic). Not dropped ones: a hung inference drops every new frame. */
  processed: () => number;
}

/**
 * progress() for createWatchdog: true when detection finished a frame since the last call, or when
 * no frame arrived (idle by design: cameras offline or a quiet motion gate are not a stuck
 * pipeline). false only when work arrived and nothing was processed.
 */
export function pipelineProgress(c: PipelineCounters): () => boolean {
  let lastReceived = c.received();
  let lastProcessed = c.processed();
  return () => {
    const received = c.received();
    const processed = c.processed();
    const progressed = processed > lastProcessed || received === lastReceived;
    lastReceived = received;
    lastProcessed = processed;
    return progressed;
  };
}
