// Database health: a trivial query proves the connection answers; schema level and file sizes are
// shown so a technician can tell a stale or bloated database at a glance.
import { statSync } from 'node:fs';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';
import { formatBytes } from './disk.js';
import type { HealthProvider } from './types.js';

export interface DbHealthDeps {
  /** The open database; a function because it exists only once the store stage started. */
  db: () => Db;
  /** Expected schema level (highest migration shipped); a lower level is reported degraded. */
  expectedLevel?: number;
}

const fileBytes = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

export function createDbHealth(deps: DbHealthDeps): HealthProvider {
  // Prepared once per connection: health is read every 10 s under systemd and on every /health
  // request, and a statement prepared per call holds native memory until V8 collects it
  // (see src/mqtt/broker-persistence.ts).
  const probes = new WeakMap<Db, { ping: Statement; level: Statement }>();
  return () => {
    let db: Db;
    try {
      db = deps.db();
    } catch (err) {
      return { state: 'down', detail: `database not open: ${(err as Error).message}` };
    }
    const t0 = process.hrtime.bigint();
    let probe = probes.get(db);
    try {
      if (!probe) {
        probe = {
          ping: db.prepare('SELECT 1').pluck(),
          level: db.prepare('PRAGMA user_version').pluck(),
        };
        probes.set(db, probe);
      }
      probe.ping.get();
    } catch (err) {
      return { state: 'down', detail: `database does not answer: ${(err as Error).message}` };
    }
    const queryMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const level = probe.level.get() as number;
    const file = db.name;
    const sizeBytes = file && file !== ':memory:' ? fileBytes(file) : 0;
    const walBytes = file && file !== ':memory:' ? fileBytes(`${file}-wal`) : 0;
    const data = {
      file,
      schemaLevel: level,
      sizeBytes,
      walBytes,
      queryMs: Math.round(queryMs * 1000) / 1000,
    };
    if (deps.expectedLevel !== undefined && level < deps.expectedLevel) {
      return { state: 'degraded', detail: `schema level ${level}, expected ${deps.expectedLevel}`, data };
    }
    return { state: 'ok', detail: `schema ${level}, ${formatBytes(sizeBytes + walBytes)}`, data };
  };
}
