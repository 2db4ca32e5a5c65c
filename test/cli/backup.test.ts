// Online backup with real SQLite files, while a writer keeps writing (the daemon's situation).
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaLevel, type Db } from '../../src/store/db.js';
import { runBackupCommand } from '../../src/cli/commands/backup.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const capture = (): { write(s: string): void; text(): string } => {
  let t = '';
  return { write: (s) => void (t += s), text: () => t };
};

function dataDirWithDb(rows: number): { dir: string; db: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'traycheck-backup-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'traycheck.db'));
  dbs.push(db);
  const ins = db.prepare(
    `INSERT INTO rejected_messages (topic, reason, payload, received_at) VALUES ('pos', 'bad', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < rows; i++) ins.run('x'.repeat(200), i);
  })();
  return { dir, db };
}

describe('runBackupCommand', () => {
  it('copies a live WAL database into one self-contained, checked file', async () => {
    const { dir, db } = dataDirWithDb(2000);
    const level = schemaLevel(db);
    // Uncheckpointed writes sit in the WAL: the backup must include them.
    db.prepare(`INSERT INTO meta (key, value) VALUES ('marker', 'in-wal')`).run();
    expect(statSync(join(dir, 'traycheck.db-wal')).size).toBeGreaterThan(0);

    const out = join(dir, 'backups', 'tc.db');
    const stdout = capture();
    expect(await runBackupCommand({ dataDir: dir, out }, stdout, capture())).toBe(0);
    expect(stdout.text()).toMatch(/backup written: .*tc\.db \(\d+ bytes, schema level \d+, integrity ok/);
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(existsSync(`${out}-wal`)).toBe(false);

    const copy = new Database(out, { readonly: true });
    try {
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(copy.pragma('user_version', { simple: true })).toBe(level);
      expect(copy.prepare('SELECT COUNT(*) FROM rejected_messages').pluck().get()).toBe(2000);
      expect(copy.prepare("SELECT value FROM meta WHERE key = 'marker'").pluck().get()).toBe('in-wal');
    } finally {
      copy.close();
    }
    // The live database keeps working.
    db.prepare(`INSERT INTO meta (key, value) VALUES ('after', '1')`).run();
  });

  it('works on a stopped daemon (no -wal/-shm files) and never overwrites without --force', async () => {
    const { dir, db } = dataDirWithDb(10);
    db.close();
    const out = join(dir, 'tc.db');
    writeFileSync(out, 'precious');
    const err = capture();
    expect(await runBackupCommand({ dataDir: dir, out }, capture(), err)).toBe(1);
    expect(err.text()).toMatch(/exists \(use --force/);
    expect(await runBackupCommand({ dataDir: dir, out, force: true }, capture(), capture())).toBe(0);
    const copy = new Database(out, { readonly: true });
    expect(copy.prepare('SELECT COUNT(*) FROM rejected_messages').pluck().get()).toBe(10);
    copy.close();
  });

  it('fails cleanly without a database and leaves no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'traycheck-backup-'));
    dirs.push(dir);
    const err = capture();
    expect(await runBackupCommand({ dataDir: dir, out: join(dir, 'b.db') }, capture(), err)).toBe(1);
    expect(err.text()).toMatch(/no database at/);
    expect(existsSync(join(dir, 'b.db'))).toBe(false);
  });
});
