import { loadConfig } from '../../config/load.js';
import { createDaemon, StartupError } from '../../daemon.js';
import { configureDaemonImaging } from '../../imaging.js';
import { createLogger } from '../../log.js';
import { simSourcesFor } from '../../sim/sim-cameras.js';
import { allocatorWarning, glibcVersion } from '../../allocator.js';
import { EXIT_CONFIG, requireString, type Command } from '../command.js';
import { runUntilSignal } from '../lifecycle.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run the daemon (cameras, detector, orders, verification, dashboard)',
  usage: 'run --config <file>',
  options: {
    config: { type: 'string', short: 'c', valueName: 'file', description: 'Config file (YAML). Required.' },
  },
  async run(args) {
    const file = requireString(args, 'config');
    const loaded = loadConfig(file);
    const { logging } = loaded.config;
    const log = createLogger({
      level: logging.level,
      pretty: logging.pretty === 'auto' ? undefined : logging.pretty,
    });
    const allocator = allocatorWarning(process.env, glibcVersion());
    if (allocator) log.warn(allocator);
    configureDaemonImaging();
    let simSources;
    try {
      simSources = simSourcesFor(loaded.config);
    } catch (err) {
      process.stderr.write(`traycheck: refusing to start: simulated camera: ${(err as Error).message}\n`);
      return EXIT_CONFIG;
    }
    const daemon = createDaemon({ loaded, log, simSources });
    // Signal handlers go in before start so a SIGTERM during start-up still shuts down cleanly.
    const stopped = runUntilSignal(daemon, log);
    try {
      await daemon.start();
    } catch (err) {
      if (err instanceof StartupError) {
        log.fatal({ component: err.component }, `refusing to start: ${err.message}`);
        process.stderr.write(`traycheck: refusing to start (${err.component}): ${err.message}\n`);
        await daemon.stop().catch(() => undefined);
        return EXIT_CONFIG;
      }
      throw err;
    }
    return stopped;
  },
};
