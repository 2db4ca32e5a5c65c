// Graceful shutdown on SIGTERM/SIGINT: stop intake, finish in-flight work, close the DB, exit 0.
import type { Logger } from '../log.js';

export interface Stoppable {
  stop(): Promise<void>;
}

export function runUntilSignal(target: Stoppable, log: Logger, hardTimeoutMs = 15_000): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    let firstSignalAt = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      // The same signal delivered twice at once (process group + supervisor) is not a second request.
      if (stopping && Date.now() - firstSignalAt < 1000) return;
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      firstSignalAt = Date.now();
      log.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        log.error('shutdown took too long; exiting');
        process.exit(1);
      }, hardTimeoutMs);
      timer.unref();
      target.stop().then(
        () => {
          clearTimeout(timer);
          log.info('stopped cleanly');
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          log.flush?.();
          resolve(0);
        },
        (err: unknown) => {
          clearTimeout(timer);
          log.error({ err }, 'error during shutdown');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
