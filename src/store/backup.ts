// Online backup of the SQLite database while the daemon runs (`traycheck backup`, src/cli/commands):
// better-sqlite3's db.backup() uses SQLite's backup API, so the copy is consistent even with
// concurrent writes. The copy is checked (integrity_check) and switched to rollback-journal mode so
// it is one self-contained file, written under a temporary name and renamed when complete.
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export interface BackupResult {
  file: string;
  bytes: number;
  schemaLevel: number;
  ms: number;
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
