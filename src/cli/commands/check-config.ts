import { loadConfig } from '../../config/load.js';
import { maskConfig } from '../../config/mask.js';
import { EXIT_OK, type Command } from '../command.js';

export const checkConfigCommand: Command = {
  name: 'check-config',
  summary: 'validate a config file without starting (exit 0 valid, 78 invalid)',
  usage: 'check-config <file> [--print]',
  positionals: true,
  options: {
    print: {
      type: 'boolean',
      description: 'Print the effective config (defaults filled, secrets masked) as JSON.',
    },
  },
  run(args) {
    const file = args.positionals[0] ?? 'config/traycheck.yaml';
    // A bad file throws ConfigError, which src/cli/main.ts turns into the issue list and exit 78.
    const loaded = loadConfig(file);
    process.stdout.write(
      `${file}: OK (${loaded.config.cameras.length} camera(s), ${Object.keys(loaded.config.menu).length} menu items)\n`,
    );
    if (loaded.overrides.length)
      process.stdout.write(`environment overrides: ${loaded.overrides.join(', ')}\n`);
    if (args.values.print) process.stdout.write(JSON.stringify(maskConfig(loaded.config), null, 2) + '\n');
    return Promise.resolve(EXIT_OK);
  },
};
