// Online backup of the SQLite database (`traycheck backup --out FILE`) while the daemon runs:
// better-sqlite3's db.backup() uses SQLite's backup API, so the copy is consistent even with
// concurrent writes. The copy is checked (integrity_check) and switched to rollback-journal mode so
// it is one self-contained file, written under a temporary name and renamed when complete.
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from '../cli/command.js';
import { loadConfig } from '../config/load.js';

export const DB_FILE_NAME = 'traycheck.db';

export interface BackupResult {
  file: string;
  bytes: number;
  schemaLevel: number;
  ms: number;
}

interface Writer {
  write(text: string): unknown;
}

/** Copies `file` (a live traycheck database) to `out`. Throws on any failure; `out` is then left untouched. */
export async function backupDatabase(opts: {
  file: string;
  out: string;
  force?: boolean;
}): Promise<BackupResult> {
  const t0 = Date.now();
  const out = resolve(opts.out);
  if (!existsSync(opts.file)) throw new Error(`no database at ${opts.file}`);
  if (existsSync(out) && !opts.force) throw new Error(`${out} exists (use --force to replace it)`);
  if (resolve(opts.file) === out) throw new Error('the backup cannot replace the database itself');
  mkdirSync(dirname(out), { recursive: true });
  const partial = `${out}.partial-${process.pid}`;
  // Read-only: the backup never writes the live database (as root, SQLite keeps -wal/-shm owned by the file's owner).
  const src = new Database(opts.file, { readonly: true, fileMustExist: true });
  try {
    await src.backup(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    src.close();
  }
  let schemaLevel: number;
  try {
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`backup failed its integrity check: ${String(check)}`);
      schemaLevel = copy.pragma('user_version', { simple: true }) as number;
    } finally {
      copy.close();
    }
    chmodSync(partial, 0o640);
    renameSync(partial, out);
  } catch (err) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    throw err;
  }
  return { file: out, bytes: statSync(out).size, schemaLevel, ms: Date.now() - t0 };
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
      file: join(opts.dataDir, DB_FILE_NAME),
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

/** `traycheck backup`, ready for src/cli/registry.ts. */
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
