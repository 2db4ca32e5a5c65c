// Retention against real SQLite files: by age, oldest first, children before parents (FK on).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createRetention } from '../../src/store/retention.js';
import { waitFor } from '../helpers/wait.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);
const config = { verdictRetentionDays: 30, retentionIntervalMin: 10 };

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'traycheck-retention-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'traycheck.db'));
  dbs.push(db);
  return db;
}

function addVerdict(db: Db, ts: number, trayId = `t${ts}`): number {
  const r = db
    .prepare(
      `INSERT INTO verdicts (tray_id, camera_id, order_id, link, result, expected_json, observed_json, missing_json, extra_json, ts)
       VALUES (?, 'expo', NULL, 'none', 'mismatch', '{}', '{}', '{}', '{}', ?)`,
    )
    .run(trayId, ts);
  return Number(r.lastInsertRowid);
}
function addAlert(db: Db, verdictId: number, openedAt: number): void {
  db.prepare(
    `INSERT INTO alerts (tray_id, camera_id, verdict_id, status, opened_at) VALUES ('t', 'expo', ?, 'resolved', ?)`,
  ).run(verdictId, openedAt);
}
function addOrder(db: Db, id: string, at: number): void {
  db.prepare(
    `INSERT INTO orders (order_id, items_json, status, placed_at, updated_at) VALUES (?, '[]', 'served', ?, ?)`,
  ).run(id, at, at);
  db.prepare(
    `INSERT INTO order_events (order_id, type, topic, payload_json, received_at) VALUES (?, 'order.placed', 'pos', '{}', ?)`,
  ).run(id, at);
}
const count = (db: Db, table: string): number =>
  db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('createRetention', () => {
  it('deletes every kind of row older than verdictRetentionDays and keeps newer ones', async () => {
    const db = freshDb();
    const old = NOW - 31 * DAY;
    const recent = NOW - 29 * DAY;
    const edge = NOW - 30 * DAY; // exactly at the cutoff: kept (strictly older goes)
    for (const ts of [old, old - DAY, recent, edge]) {
      const v = addVerdict(db, ts);
      addAlert(db, v, ts + 500);
      addOrder(db, `o${ts}`, ts);
      db.prepare(
        `INSERT INTO rejected_messages (topic, reason, payload, received_at) VALUES ('pos', 'bad', '{}', ?)`,
      ).run(ts);
      db.prepare(
        `INSERT INTO tray_observations (camera_id, tray_id, phase, items_json, ts) VALUES ('expo', 't', 'settled', '{}', ?)`,
      ).run(ts);
    }
    const snapshotCalls: number[] = [];
    const retention = createRetention({
      db,
      config,
      log: silentLogger(),
      snapshots: { runRetention: (t) => (snapshotCalls.push(t), { deletedFiles: 3, deletedBytes: 1234 }) },
    });
    const r = await retention.runOnce(NOW);
    expect(r).toMatchObject({
      cutoff: NOW - 30 * DAY,
      verdictsDeleted: 2,
      alertsDeleted: 2,
      ordersDeleted: 2,
      eventsDeleted: 2,
      rejectedDeleted: 2,
      observationsDeleted: 2,
      snapshot: { deletedFiles: 3, deletedBytes: 1234 },
      interrupted: false,
    });
    expect(snapshotCalls).toEqual([NOW]);
    for (const t of [
      'verdicts',
      'alerts',
      'orders',
      'order_events',
      'rejected_messages',
      'tray_observations',
    ])
      expect(count(db, t)).toBe(2);
    expect(db.prepare('SELECT MIN(ts) FROM verdicts').pluck().get()).toBe(edge);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'retention.lastRunAt'").pluck().get()).toBe(
      String(NOW),
    );
    // A second run finds nothing left to do.
    expect(await retention.runOnce(NOW)).toMatchObject({
      verdictsDeleted: 0,
      alertsDeleted: 0,
      ordersDeleted: 0,
    });
  });

  it('keeps an old verdict while a newer alert still points to it (foreign key)', async () => {
    const db = freshDb();
    const v = addVerdict(db, NOW - 31 * DAY);
    addAlert(db, v, NOW - 29 * DAY);
    const r = await createRetention({ db, config, log: silentLogger() }).runOnce(NOW);
    expect(r.verdictsDeleted).toBe(0);
    expect(count(db, 'verdicts')).toBe(1);
    // Once the alert ages out, both go in the same run: alerts first.
    const r2 = await createRetention({ db, config, log: silentLogger() }).runOnce(NOW + 2 * DAY);
    expect(r2).toMatchObject({ alertsDeleted: 1, verdictsDeleted: 1 });
  });

  it('deletes in batches, oldest first, and stop() ends a run between batches', async () => {
    const db = freshDb();
    // 10 old verdicts inserted in shuffled time order, plus 3 recent ones.
    const ages = [40, 33, 45, 31, 38, 50, 35, 42, 32, 47];
    for (const d of ages) addVerdict(db, NOW - d * DAY, `old-${d}`);
    for (const d of [1, 2, 3]) addVerdict(db, NOW - d * DAY, `new-${d}`);

    const all = createRetention({ db, config, log: silentLogger(), batchSize: 3 });
    const interrupted = createRetention({ db, config, log: silentLogger(), batchSize: 4 });
    const run = interrupted.runOnce(NOW);
    // Queued before the run's first yield between batches: the run stops after exactly one batch.
    setImmediate(() => interrupted.stop());
    const r = await run;
    expect(r).toMatchObject({ verdictsDeleted: 4, interrupted: true });
    const left = db.prepare('SELECT tray_id FROM verdicts ORDER BY ts').pluck().all() as string[];
    // The four oldest (50, 47, 45, 42 days) went first.
    expect(left).toEqual([
      'old-40',
      'old-38',
      'old-35',
      'old-33',
      'old-32',
      'old-31',
      'new-3',
      'new-2',
      'new-1',
    ]);

    // A batch size smaller than the backlog still clears it in one run.
    const r2 = await all.runOnce(NOW);
    expect(r2).toMatchObject({ verdictsDeleted: 6, interrupted: false });
    expect(db.prepare('SELECT tray_id FROM verdicts ORDER BY ts').pluck().all()).toEqual([
      'new-3',
      'new-2',
      'new-1',
    ]);
  });

  it('start() runs at once and then on its interval; a failing snapshot store is reported, not thrown', async () => {
    const db = freshDb();
    addVerdict(db, NOW - 31 * DAY);
    let calls = 0;
    const retention = createRetention({
      db,
      config: { verdictRetentionDays: 30, retentionIntervalMin: 0.002 }, // 120 ms
      log: silentLogger(),
      now: () => NOW,
      snapshots: {
        runRetention: () => {
          calls++;
          throw new Error('disk gone');
        },
      },
    });
    await retention.start();
    expect(retention.lastResult()).toMatchObject({ verdictsDeleted: 1, snapshot: { error: 'disk gone' } });
    await waitFor(() => calls >= 3, { timeoutMs: 10_000, message: 'retention interval runs' });
    retention.stop();
  });
});
