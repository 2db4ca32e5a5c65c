import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDbHealth } from '../../src/health/db.js';
import { createDiskHealth, DISK_CRITICAL_BYTES } from '../../src/health/disk.js';
import { createHealth } from '../../src/health/index.js';
import type { ComponentHealth } from '../../src/health/types.js';
import { loadMigrations, openDatabase, type Db } from '../../src/store/db.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'traycheck-health-'));
  dirs.push(d);
  return d;
};

describe('createHealth', () => {
  it('is ok while every component is ok and degraded as soon as one is not', () => {
    let camera: ComponentHealth = { state: 'ok', detail: 'online, 5.0 fps' };
    const health = createHealth({
      version: '1.2.3',
      startedAt: 1_000_000,
      now: () => 1_125_400,
      providers: { camera: () => camera, mqtt: () => ({ state: 'ok', detail: 'connected' }) },
    });
    let r = health.report();
    expect(r).toMatchObject({ status: 'ok', version: '1.2.3', startedAt: 1_000_000, uptimeS: 125 });
    expect(Object.keys(r.components)).toEqual(['camera', 'mqtt']);

    camera = { state: 'down', detail: 'camera expo offline since 12:01: connection refused' };
    r = health.report();
    expect(r.status).toBe('degraded');
    expect(r.components.camera).toEqual(camera);

    camera = { state: 'degraded', detail: 'stalled' };
    expect(health.report().status).toBe('degraded');
  });

  it('reports a provider that throws as down instead of failing the report', () => {
    const health = createHealth({ version: '1', startedAt: Date.now() });
    health.register('detector', () => {
      throw new Error('session closed');
    });
    health.register('db', () => ({ state: 'ok', detail: 'fine' }));
    const r = health.report();
    expect(r.status).toBe('degraded');
    expect(r.components.detector).toEqual({ state: 'down', detail: 'health check failed: session closed' });
    health.unregister('detector');
    expect(health.report().status).toBe('ok');
  });
});

describe('createDiskHealth', () => {
  it('reads real free space of the data folder', () => {
    const dir = tempDir();
    const h = createDiskHealth({ dataDir: dir, reserveBytes: 1 })();
    expect(h.state).toBe('ok');
    expect(h.data?.freeBytes).toBeGreaterThan(0);
  });

  it('is degraded with snapshot writing paused below the reserve, down when nearly full', () => {
    const dir = tempDir();
    let free = 10e9;
    let paused = false;
    const provider = createDiskHealth({
      dataDir: dir,
      reserveBytes: 500e6,
      freeBytes: () => free,
      snapshotsPaused: () => paused,
    });
    expect(provider().state).toBe('ok');
    free = 400e6;
    paused = true;
    const low = provider();
    expect(low.state).toBe('degraded');
    expect(low.detail).toMatch(/snapshot writing paused: 400\.0 MB free, reserve 500\.0 MB/);
    expect(low.data).toMatchObject({ snapshotsPaused: true, freeBytes: 400e6 });
    free = DISK_CRITICAL_BYTES - 1;
    expect(provider().state).toBe('down');
  });

  it('without a snapshot store, infers the pause from the reserve', () => {
    const dir = tempDir();
    expect(
      createDiskHealth({ dataDir: dir, reserveBytes: 500e6, freeBytes: () => 100e6 })().data?.snapshotsPaused,
    ).toBe(true);
  });

  it('is down when the data folder is missing', () => {
    const h = createDiskHealth({ dataDir: join(tempDir(), 'gone'), reserveBytes: 0 })();
    expect(h.state).toBe('down');
    expect(h.detail).toMatch(/unusable/);
  });

  it.skipIf(process.getuid?.() === 0)('is down when the data folder is read-only', () => {
    const dir = tempDir();
    chmodSync(dir, 0o500);
    expect(createDiskHealth({ dataDir: dir, reserveBytes: 0 })().state).toBe('down');
  });
});

describe('createDbHealth', () => {
  it('answers with schema level and size for a real database, down once closed', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'traycheck.db'));
    dbs.push(db);
    const level = Math.max(...loadMigrations().map((m) => m.level));
    const provider = createDbHealth({ db: () => db, expectedLevel: level });
    const h = provider();
    expect(h.state).toBe('ok');
    expect(h.data).toMatchObject({ schemaLevel: level });
    expect(h.data?.sizeBytes).toBeGreaterThan(0);
    expect(createDbHealth({ db: () => db, expectedLevel: level + 1 })().state).toBe('degraded');
    db.close();
    expect(provider().state).toBe('down');
  });

  it('is down before the store started', () => {
    const h = createDbHealth({
      db: () => {
        throw new Error('store not started');
      },
    })();
    expect(h).toEqual({ state: 'down', detail: 'database not open: store not started' });
  });
});
