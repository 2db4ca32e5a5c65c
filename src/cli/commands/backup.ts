// `traycheck backup --out FILE`: an online copy of the database (store/backup.ts), safe while the
// daemon runs.
import { loadConfig } from '../../config/load.js';
import { backupDatabase } from '../../store/backup.js';
import { databaseFile } from '../../store/db.js';
import type { Command } from '../command.js';

interface Writer {
  write(text: string): unknown;
}

export interface BackupOptions {
  dataDir: string;
  out: string;
  force?: boolean;
}

/** For the CLI: exit 0 when the backup is written, 1 otherwise (message on stderr). */
export async function runBackupCommand(
  opts: BackupOptions,
  stdout: Writer = process.stdout,
  stderr: Writer = process.stderr,
): Promise<number> {
  try {
    const r = await backupDatabase({
      file: databaseFile(opts.dataDir),
      out: opts.out,
      force: opts.force,
    });
    stdout.write(
      `backup written: ${r.file} (${r.bytes} bytes, schema level ${r.schemaLevel}, integrity ok, ${r.ms} ms)\n`,
    );
    return 0;
  } catch (err) {
    stderr.write(`traycheck backup: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'online backup of the database to one file (safe while the daemon runs)',
  usage: 'backup --out <file> [--config <file> | --data-dir <dir>] [--force]',
  options: {
    out: { type: 'string', short: 'o', valueName: 'file', description: 'Backup file to write. Required.' },
    config: {
      type: 'string',
      short: 'c',
      valueName: 'file',
      description:
        'Config file whose storage.dataDir holds the database (default /etc/traycheck/traycheck.yaml).',
    },
    'data-dir': {
      type: 'string',
      valueName: 'dir',
      description: 'Data folder, instead of reading the config.',
    },
    force: { type: 'boolean', description: 'Replace an existing backup file.' },
  },
  async run(args) {
    const out = args.values.out;
    if (typeof out !== 'string' || !out) {
      process.stderr.write('traycheck backup: missing required option --out\n');
      return 2;
    }
    let dataDir = typeof args.values['data-dir'] === 'string' ? args.values['data-dir'] : null;
    if (!dataDir) {
      const file =
        typeof args.values.config === 'string' ? args.values.config : '/etc/traycheck/traycheck.yaml';
      dataDir = loadConfig(file).config.storage.dataDir;
    }
    return runBackupCommand({ dataDir, out, force: args.values.force === true });
  },
};
