// SQLite via better-sqlite3: WAL mode, numbered migrations applied at start in a transaction.
// A database written by a newer traycheck (higher user_version than we know) is refused.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** The database's file name in storage.dataDir: the daemon, `traycheck backup` and tests agree on it. */
export const DB_FILE_NAME = 'traycheck.db';

export const databaseFile = (dataDir: string): string => join(dataDir, DB_FILE_NAME);

/** Size of a file in bytes, 0 when it is not there (a -wal or -shm file comes and goes). */
export function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export interface Migration {
  level: number;
  name: string;
  sql: string;
}

export class DatabaseVersionError extends Error {}

/** Migrations live as .sql files in src/store/migrations (shipped beside dist). */
export function migrationsDir(): string {
  // dist/src/store/db.js → ../../../src/store/migrations ; src/store/db.ts (vitest) → ./migrations
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'migrations'), join(here, '..', '..', '..', 'src', 'store', 'migrations')];
  for (const c of candidates) {
    try {
      if (readdirSync(c).some((f) => f.endsWith('.sql'))) return c;
    } catch {
      /* try next */
    }
  }
  throw new Error(`migrations folder not found (looked in ${candidates.join(', ')})`);
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ level: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

export interface OpenOptions {
  /** Apply migrations only up to this level (tests of upgrades). */
  maxLevel?: number;
  migrations?: Migration[];
  readonly?: boolean;
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  if (opts.readonly) return db;
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db, opts.migrations ?? loadMigrations(), opts.maxLevel);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function schemaLevel(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, migrations: Migration[], maxLevel = Infinity): number {
  const current = schemaLevel(db);
  const known = migrations.reduce((m, x) => Math.max(m, x.level), 0);
  if (current > known) {
    throw new DatabaseVersionError(
      `database schema level ${current} is newer than this traycheck understands (${known}); ` +
        'it was written by a newer version: upgrade traycheck or restore a backup',
    );
  }
  const pending = migrations.filter((m) => m.level > current && m.level <= maxLevel);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.level}`);
    })();
  }
  return schemaLevel(db);
}

/** The health check's two queries on a connection: it answers, and its schema level. */
export interface DbProbe {
  /** Runs a trivial query; throws when the connection does not answer. */
  ping(): void;
  schemaLevel(): number;
}

// Prepared once per connection: health is read every 10 s under systemd and on every /health
// request, and a statement prepared per call holds native memory until V8 collects it.
const probes = new WeakMap<Db, DbProbe>();

export function dbProbe(db: Db): DbProbe {
  let probe = probes.get(db);
  if (!probe) {
    const ping = db.prepare<[], number>('SELECT 1').pluck();
    const level = db.prepare<[], number>('PRAGMA user_version').pluck();
    probe = { ping: () => void ping.get(), schemaLevel: () => level.get() ?? 0 };
    probes.set(db, probe);
  }
  return probe;
}
