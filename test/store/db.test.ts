import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseVersionError, loadMigrations, openDatabase, schemaLevel } from '../../src/store/db.js';
import { tempDir } from '../helpers/daemon.js';
import { rmSync } from 'node:fs';

const dirs: string[] = [];
const newFile = (): string => {
  const d = tempDir();
  dirs.push(d);
  return join(d, 'nested', 'traycheck.db');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tables = (db: Database.Database): string[] =>
  (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);

describe('store migrations', () => {
  const all = loadMigrations();
  const latest = Math.max(...all.map((m) => m.level));

  it('creates the schema from empty in WAL mode at the latest level', () => {
    const file = newFile();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaLevel(db)).toBe(latest);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'orders',
        'order_events',
        'rejected_messages',
        'tray_observations',
        'verdicts',
        'alerts',
        'snapshots',
        'users',
        'sessions',
        'meta',
      ]),
    );
    db.close();
    expect(existsSync(file)).toBe(true);
  });

  it('upgrades a database written at an older level, keeping its rows', () => {
    const file = newFile();
    const first = all[0];
    if (!first) throw new Error('no migrations');
    const old = openDatabase(file, { maxLevel: first.level });
    expect(schemaLevel(old)).toBe(first.level);
    old.prepare("INSERT INTO meta(key, value) VALUES ('probe', 'kept')").run();
    old.close();
    // A synthetic next level proves an upgrade path even when only one real migration exists.
    const extra = {
      level: latest + 1,
      name: `${latest + 1}_probe.sql`,
      sql: 'CREATE TABLE probe_upgrade (x INTEGER);',
    };
    const db = openDatabase(file, { migrations: [...all, extra] });
    expect(schemaLevel(db)).toBe(latest + 1);
    expect(tables(db)).toContain('probe_upgrade');
    expect(db.prepare("SELECT value FROM meta WHERE key='probe'").get()).toEqual({ value: 'kept' });
    db.close();
  });

  it('a failing migration rolls back completely', () => {
    const file = newFile();
    const bad = {
      level: latest + 1,
      name: 'bad.sql',
      sql: 'CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL;',
    };
    expect(() => openDatabase(file, { migrations: [...all, bad] })).toThrow();
    const db = openDatabase(file);
    expect(schemaLevel(db)).toBe(latest);
    expect(tables(db)).not.toContain('half_done');
    db.close();
  });

  it('refuses a database from a newer traycheck with a clear message', () => {
    const file = newFile();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latest + 5}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseVersionError);
    expect(() => openDatabase(file)).toThrow(/newer than this traycheck understands/);
  });
});
