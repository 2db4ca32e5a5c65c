import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createSnapshotStore, type SnapshotConfig, type SnapshotStore } from '../../src/store/snapshots.js';
import type { Frame } from '../../src/types.js';
import { tempDir } from '../helpers/daemon.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2030, 4, 20, 12, 0, 0);
const BASE: SnapshotConfig = {
  retentionDays: 14,
  maxBytes: 100_000_000,
  zoneOnly: false,
  jpegQuality: 80,
  diskReserveBytes: 0,
};

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(config: Partial<SnapshotConfig> = {}): {
  dir: string;
  db: Db;
  store: SnapshotStore;
  reopen: (c: Partial<SnapshotConfig>) => SnapshotStore;
} {
  const dir = tempDir();
  dirs.push(dir);
  const db = openDatabase(join(dir, 'traycheck.db'));
  dbs.push(db);
  const make = (c: Partial<SnapshotConfig>): SnapshotStore =>
    createSnapshotStore({
      dir: join(dir, 'snapshots'),
      db,
      log: silentLogger(),
      config: { ...BASE, ...c },
      now: () => NOW,
    });
  return { dir, db, store: make(config), reopen: make };
}

/** A 160x90 frame: grey with some deterministic texture so JPEG sizes differ. */
function frame(ts: number, seed = 1, grey = 120): Frame {
  const width = 160;
  const height = 90;
  const data = Buffer.alloc(width * height * 3, grey);
  let x = seed * 2654435761;
  for (let i = 0; i < data.length; i += 7) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = grey + ((x >>> 24) % 40) - 20;
  }
  return { cameraId: 'expo', seq: seed, ts, width, height, data };
}

const rows = (db: Db): { id: string; path: string; bytes: number; created_at: number }[] =>
  db.prepare('SELECT id, path, bytes, created_at FROM snapshots ORDER BY created_at').all() as never;

describe('snapshot files', () => {
  it('saves a JPEG with a row, under a day folder', async () => {
    const { db, store } = setup();
    await store.start();
    const id = await store.save(frame(NOW), {
      trayId: 'expo-1',
      boxes: [{ label: 'burger', score: 0.8, box: [20, 20, 60, 60] }],
      trayBox: [10, 10, 150, 80],
      caption: 'Missing: 1 fries',
    });
    expect(id).toMatch(/^[a-f0-9]{32}$/);
    const file = store.path(id!);
    expect(file).toBe(join(dirs[0]!, 'snapshots', '2030-05-20', `${id}.jpg`));
    const meta = await sharp(file!).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 160, height: 90 });
    expect(rows(db)).toEqual([
      { id, path: `2030-05-20/${id}.jpg`, bytes: statSync(file!).size, created_at: NOW },
    ]);
    expect(store.totalBytes()).toBe(statSync(file!).size);
    // the tray box is drawn in white over the grey frame
    const { data, info } = await sharp(file!).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number): number => data[(y * info.width + x) * info.channels] ?? 0;
    expect(px(80, 10)).toBeGreaterThan(200);
    expect(px(80, 45)).toBeLessThan(170);
    expect(store.health().state).toBe('ok');
  });

  it('zoneOnly keeps only the zone: cropped to its box, blank outside the polygon', async () => {
    const { store } = setup({ zoneOnly: true });
    await store.start();
    const zone: [number, number][] = [
      [0.25, 0.2],
      [0.75, 0.2],
      [0.75, 0.8],
      [0.5, 0.8],
      [0.25, 0.5],
    ];
    const id = await store.save(frame(NOW, 2, 200), { trayId: null, boxes: [], zone });
    const { data, info } = await sharp(store.path(id!)!).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([80, 54]);
    const px = (x: number, y: number): number => data[(y * info.width + x) * info.channels] ?? 0;
    expect(px(3, info.height - 3)).toBeLessThan(40); // cut corner of the polygon: blanked
    expect(px(info.width / 2, info.height / 3)).toBeGreaterThan(150); // inside: the frame
  });

  it('cropToTray keeps the tray with a 25 % margin, scaled up so it reads, its box drawn to scale', async () => {
    const { store } = setup({ cropToTray: true });
    await store.start();
    // tray 40x30 px at (60,30): with margin (50,22)-(110,68) = 60x46, scaled 3x (the cap) = 180x138
    const id = await store.save(frame(NOW, 3, 120), {
      trayId: 'expo-1',
      boxes: [],
      trayBox: [60, 30, 100, 60],
    });
    const { data, info } = await sharp(store.path(id!)!).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([180, 138]);
    const px = (x: number, y: number): number => data[(y * info.width + x) * info.channels] ?? 0;
    // The tray's top edge, (60,30) in the frame, is at ((60-50)*3, (30-22)*3) = (30, 24): white.
    expect(px(90, 24)).toBeGreaterThan(200);
    expect(px(90, 69)).toBeLessThan(170); // inside the tray: the grey frame
    // Without a tray box the whole frame is kept.
    const whole = await store.save(frame(NOW, 4), { trayId: null, boxes: [] });
    expect((await sharp(store.path(whole!)!).metadata()).width).toBe(160);
  });

  it('refuses ids that are not plain hex, and rows pointing outside the folder', async () => {
    const { db, store } = setup();
    await store.start();
    const id = await store.save(frame(NOW), { trayId: null, boxes: [] });
    expect(store.path(id!)).not.toBeNull();
    for (const bad of [
      '../../etc/passwd',
      '..%2f..%2fetc',
      `${id}/../${id}`,
      id!.toUpperCase(),
      'abc',
      '',
      `${id}.jpg`,
      'g'.repeat(32),
      'a'.repeat(65),
    ]) {
      expect(store.path(bad)).toBeNull();
    }
    expect(store.path('0123456789abcdef')).toBeNull(); // valid shape, unknown
    db.prepare(
      'INSERT INTO snapshots (id, camera_id, tray_id, path, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run('ab'.repeat(8), 'expo', null, '../../traycheck.db', 10, NOW);
    expect(store.path('ab'.repeat(8))).toBeNull();
  });

  it('pauses below the disk reserve: nothing written, health degraded', async () => {
    const { db, store } = setup({ diskReserveBytes: Number.MAX_SAFE_INTEGER });
    await store.start();
    expect(store.paused()).toBe(true);
    expect(await store.save(frame(NOW), { trayId: null, boxes: [] })).toBeNull();
    expect(rows(db)).toEqual([]);
    expect(store.health().state).toBe('degraded');
  });

  it('a frame that cannot be encoded is logged, not thrown', async () => {
    const { db, store } = setup();
    await store.start();
    const bad = { ...frame(NOW), data: Buffer.alloc(10) };
    expect(await store.save(bad, { trayId: null, boxes: [] })).toBeNull();
    expect(rows(db)).toEqual([]);
    expect(store.health()).toMatchObject({ state: 'degraded', data: { errors: 1 } });
    expect(await store.save(frame(NOW), { trayId: null, boxes: [] })).not.toBeNull();
    expect(store.health().state).toBe('ok');
  });
});

describe('snapshot retention', () => {
  it('deletes snapshots older than retentionDays, files and rows, oldest first', async () => {
    const { db, store, dir } = setup({ retentionDays: 14 });
    await store.start();
    const ages = [20, 15, 13, 1];
    const ids: string[] = [];
    for (const [i, a] of ages.entries())
      ids.push((await store.save(frame(NOW - a * DAY, i + 1), { trayId: null, boxes: [] }))!);
    const before = rows(db);
    const files = ids.map((id) => store.path(id)!);
    const r = store.runRetention(NOW);
    expect(r).toEqual({ deletedFiles: 2, deletedBytes: (before[0]?.bytes ?? 0) + (before[1]?.bytes ?? 0) });
    expect(rows(db).map((x) => x.id)).toEqual(ids.slice(2));
    expect(files.map((f) => existsSync(f))).toEqual([false, false, true, true]);
    expect(store.path(ids[0]!)).toBeNull();
    // the emptied day folders are gone too
    expect(readdirSync(join(dir, 'snapshots')).sort()).toEqual(
      [new Date(NOW - 13 * DAY), new Date(NOW - DAY)].map((d) => d.toISOString().slice(0, 10)).sort(),
    );
    expect(store.runRetention(NOW)).toEqual({ deletedFiles: 0, deletedBytes: 0 });
  });

  it('deletes oldest first until the total is under maxBytes', async () => {
    const { db, store, reopen } = setup();
    await store.start();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await store.save(frame(NOW - (10 - i) * 3_600_000, i + 1), { trayId: null, boxes: [] }))!);
    const all = rows(db);
    const total = all.reduce((s, x) => s + x.bytes, 0);
    expect(store.totalBytes()).toBe(total);

    const r1 = reopen({ maxBytes: total - 1 }).runRetention(NOW);
    expect(r1).toEqual({ deletedFiles: 1, deletedBytes: all[0]?.bytes });
    expect(rows(db).map((x) => x.id)).toEqual(ids.slice(1));

    const newestTwo = (all[3]?.bytes ?? 0) + (all[4]?.bytes ?? 0);
    const r2 = reopen({ maxBytes: newestTwo }).runRetention(NOW);
    expect(r2.deletedFiles).toBe(2);
    expect(rows(db).map((x) => x.id)).toEqual(ids.slice(3));
    expect(ids.slice(0, 3).map((id) => store.path(id))).toEqual([null, null, null]);
  });

  it('a save that goes over maxBytes trims the oldest at once', async () => {
    const { db, store, reopen } = setup();
    await store.start();
    const first = await store.save(frame(NOW - 3000, 1), { trayId: null, boxes: [] });
    const size = rows(db)[0]?.bytes ?? 0;
    const small = reopen({ maxBytes: Math.floor(size * 1.5) });
    const second = await small.save(frame(NOW, 2), { trayId: null, boxes: [] });
    expect(rows(db).map((x) => x.id)).toEqual([second]);
    expect(small.path(first!)).toBeNull();
  });
});
