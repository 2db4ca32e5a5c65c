import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertsRepo } from '../../src/store/alerts-repo.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createVerdictsRepo } from '../../src/store/verdicts-repo.js';
import type { Verdict } from '../../src/types.js';
import { tempDir } from '../helpers/daemon.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function db(): Db {
  const dir = tempDir();
  dirs.push(dir);
  const d = openDatabase(join(dir, 'traycheck.db'));
  dbs.push(d);
  return d;
}

const verdict = (o: Partial<Verdict> = {}): Verdict => ({
  trayId: 'expo-3',
  cameraId: 'expo',
  orderId: '1001',
  orderVersion: 2,
  link: 'best-match',
  result: 'mismatch',
  expected: { burger: 1, fries: 1 },
  observed: { burger: 1 },
  missing: { fries: 1 },
  extra: {},
  unverifiable: ['GIFT_CARD'],
  uncertain: ['fries'],
  ts: 5000,
  settledTs: 4900,
  modelSha256: 'f00d',
  snapshotId: null,
  ...o,
});

describe('verdicts repo', () => {
  it('round-trips a verdict', () => {
    const repo = createVerdictsRepo(db());
    const id = repo.insert(verdict());
    expect(repo.get(id)).toEqual({ ...verdict(), id });
    repo.setSnapshot(id, 'ab'.repeat(16));
    expect(repo.get(id)?.snapshotId).toBe('ab'.repeat(16));
    const bare = repo.insert(
      verdict({ settledTs: undefined, modelSha256: undefined, orderId: null, orderVersion: null }),
    );
    expect(repo.get(bare)).not.toHaveProperty('settledTs');
    expect(repo.get(bare)).not.toHaveProperty('lines');
    const read = repo.insert(verdict({ lines: ['Burger Meal, no drink', '2 × Fries'], trayInferred: true }));
    expect(repo.get(read)).toMatchObject({
      lines: ['Burger Meal, no drink', '2 × Fries'],
      trayInferred: true,
    });
    expect(repo.listRecent(1).map((v) => v.id)).toEqual([read]);
    expect(repo.get(999)).toBeNull();
  });

  it('lists oldest first with filters', () => {
    const repo = createVerdictsRepo(db());
    const ids = [
      repo.insert(verdict({ ts: 100, orderId: 'A', trayId: 'expo-1' })),
      repo.insert(verdict({ ts: 200, orderId: 'B', trayId: 'expo-2' })),
      repo.insert(verdict({ ts: 300, orderId: 'A', trayId: 'expo-1', cameraId: 'drive' })),
    ];
    expect(repo.list().map((v) => v.id)).toEqual(ids);
    expect(repo.list({ limit: 2 }).map((v) => v.id)).toEqual(ids.slice(0, 2));
    expect(repo.list({ orderId: 'A' }).map((v) => v.id)).toEqual([ids[0], ids[2]]);
    expect(repo.list({ sinceTs: 200, untilTs: 300 }).map((v) => v.id)).toEqual([ids[1]]);
    expect(repo.list({ trayId: 'expo-1', cameraId: 'drive' }).map((v) => v.id)).toEqual([ids[2]]);
  });

  it('lastTrayNumber finds the highest tray number of a camera', () => {
    const repo = createVerdictsRepo(db());
    expect(repo.lastTrayNumber('expo')).toBe(0);
    for (const t of ['expo-3', 'expo-12', 'expo-9']) repo.insert(verdict({ trayId: t }));
    repo.insert(verdict({ trayId: 'expo_2-40', cameraId: 'expo_2' }));
    repo.insert(verdict({ trayId: 'expox-77', cameraId: 'expo' }));
    expect(repo.lastTrayNumber('expo')).toBe(12);
    expect(repo.lastTrayNumber('expo_2')).toBe(40);
    expect(repo.lastTrayNumber('exp')).toBe(0);
  });

  it('retention keeps verdicts that alerts refer to; alerts retention removes only resolved ones', () => {
    const d = db();
    const verdicts = createVerdictsRepo(d);
    const alerts = createAlertsRepo(d);
    const old = verdicts.insert(verdict({ ts: 1000 }));
    const oldAlerted = verdicts.insert(verdict({ ts: 1000 }));
    const oldOpen = verdicts.insert(verdict({ ts: 1000, trayId: 'expo-4' }));
    const fresh = verdicts.insert(verdict({ ts: 9000 }));
    const a = alerts.insert({
      trayId: 'expo-3',
      cameraId: 'expo',
      orderId: '1001',
      verdictId: oldAlerted,
      openedAt: 1000,
    });
    const b = alerts.insert({
      trayId: 'expo-4',
      cameraId: 'expo',
      orderId: '1001',
      verdictId: oldOpen,
      openedAt: 1000,
    });
    expect(alerts.resolve(a, 'served-with-error', 2000)).toBe(true);
    expect(alerts.resolve(a, 'corrected', 2500)).toBe(false);
    expect(verdicts.deleteBefore(5000)).toBe(1);
    expect(verdicts.get(old)).toBeNull();
    expect(alerts.deleteResolvedBefore(5000)).toBe(1);
    expect(verdicts.deleteBefore(5000)).toBe(1);
    expect([verdicts.get(oldAlerted), verdicts.get(oldOpen)?.id, verdicts.get(fresh)?.id]).toEqual([
      null,
      oldOpen,
      fresh,
    ]);
    expect(alerts.get(b)?.status).toBe('open');
    expect(alerts.countByStatus()).toEqual({ open: 1, acknowledged: 0, resolved: 0 });
  });

  it('lists every alert by id, and the ones resolved a given way since a time, in resolution order', () => {
    const d = db();
    const verdicts = createVerdictsRepo(d);
    const alerts = createAlertsRepo(d);
    const open = (tray: string, at: number): number =>
      alerts.insert({
        trayId: tray,
        cameraId: 'expo',
        orderId: null,
        verdictId: verdicts.insert(verdict({ trayId: tray, ts: at })),
        openedAt: at,
      });
    const [a, b, c, e] = [open('expo-1', 100), open('expo-2', 200), open('expo-3', 300), open('expo-4', 400)];
    alerts.resolve(a, 'served-with-error', 1000);
    alerts.resolve(b, 'corrected', 1100);
    alerts.resolve(c, 'served-with-error', 3000);
    alerts.resolve(e, 'served-with-error', 2000);
    expect(alerts.listAll().map((x) => x.id)).toEqual([a, b, c, e]);
    expect(alerts.listResolvedSince('served-with-error', 1500, 10).map((x) => x.id)).toEqual([e, c]);
    expect(alerts.listResolvedSince('served-with-error', 0, 2).map((x) => x.id)).toEqual([a, e]);
  });
});
