#!/usr/bin/env node
// traycheck command line: run | demo | check-config | detect | dataset | eval | ...
import { ConfigError } from '../config/load.js';
import {
  commandHelp,
  EXIT_CONFIG,
  EXIT_USAGE,
  parseCommandArgs,
  UsageError,
  type Command,
} from './command.js';
import { commands } from './registry.js';
import { version } from '../version.js';

function mainHelp(list: Command[]): string {
  const lines = [
    `traycheck ${version} — on-premises tray verification`,
    '',
    'Usage: traycheck <command> [options]',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`),
    '',
    'Run "traycheck <command> --help" for a command\'s options.',
  ];
  return lines.join('\n') + '\n';
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp(commands));
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(version + '\n');
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`traycheck: unknown command "${name}"\n\n${mainHelp(commands)}`);
    return EXIT_USAGE;
  }
  try {
    const args = parseCommandArgs(cmd, rest);
    if (args === 'help') {
      process.stdout.write(commandHelp(cmd));
      return 0;
    }
    return await cmd.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`traycheck ${cmd.name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    // The one place a bad config becomes an exit code: every command answers it alike (key, line,
    // exit 78, which systemd's RestartPreventExitStatus does not retry).
    if (err instanceof ConfigError) {
      process.stderr.write(`traycheck ${cmd.name}: ${err.message}\n`);
      return EXIT_CONFIG;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`traycheck: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
