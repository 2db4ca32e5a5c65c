// Snapshot JPEGs of mismatching trays: boxes and labels drawn on, optionally only the check zone
// kept (privacy). Files live in <dir>/<YYYY-MM-DD>/<id>.jpg with a row in `snapshots`; retention
// deletes by age, then oldest first until under maxBytes. Below diskReserveBytes of free space,
// writing pauses (save returns null) while verification goes on.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, rmdirSync } from 'node:fs';
import { mkdir, statfs, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { StorageConfig } from '../config/schema.js';
import type { ComponentHealth } from '../health/types.js';
import type { Logger } from '../log.js';
import type { Box, Detection, Frame } from '../types.js';
import type { Db } from './db.js';
import { renderSnapshot } from './snapshot-image.js';

export interface SnapshotConfig {
  retentionDays: number;
  maxBytes: number;
  zoneOnly: boolean;
  jpegQuality: number;
  /** Keep the tray (with a margin) scaled up to be readable, not the whole frame. */
  cropToTray?: boolean;
  diskReserveBytes: number;
  /** start() runs retention now and then at this interval; unset: only when runRetention is called. */
  retentionIntervalMs?: number;
}

export const snapshotConfig = (s: StorageConfig): SnapshotConfig => ({
  retentionDays: s.snapshotRetentionDays,
  maxBytes: s.snapshotMaxBytes,
  zoneOnly: s.snapshotZoneOnly,
  cropToTray: s.snapshotCropToTray,
  jpegQuality: s.snapshotJpegQuality,
  diskReserveBytes: s.diskReserveBytes,
  retentionIntervalMs: s.retentionIntervalMin * 60_000,
});

export interface SaveOptions {
  trayId: string | null;
  /** Item (and tray) detections to draw. */
  boxes: Detection[];
  trayBox?: Box;
  /** Check zone, 0..1 of the frame: cropped to when zoneOnly. */
  zone?: readonly (readonly [number, number])[];
  /** One line drawn in the corner, e.g. "Missing: fries". */
  caption?: string;
}

export interface SnapshotStore {
  start(): Promise<void>;
  stop(): void;
  /** Writes a JPEG; its id, or null when paused for disk space (or the write failed: logged). */
  save(frame: Frame, opts: SaveOptions): Promise<string | null>;
  /** Absolute file of a snapshot; null for an invalid id, an unknown one or a deleted file. */
  path(id: string): string | null;
  runRetention(now: number): { deletedFiles: number; deletedBytes: number };
  paused(): boolean;
  totalBytes(): number;
  health(): ComponentHealth;
}

export interface SnapshotDeps {
  dir: string;
  db: Db;
  log: Logger;
  config: SnapshotConfig;
  now?: () => number;
}

const ID = /^[a-f0-9]{16,64}$/;
const DAY_MS = 86_400_000;

export function createSnapshotStore(deps: SnapshotDeps): SnapshotStore {
  const root = resolve(deps.dir);
  const cfg = deps.config;
  const now = deps.now ?? Date.now;
  const log = deps.log; // the caller passes the stage's child logger
  const q = {
    insert: deps.db.prepare(
      'INSERT INTO snapshots (id, camera_id, tray_id, path, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    get: deps.db.prepare<[string], { path: string }>('SELECT path FROM snapshots WHERE id = ?'),
    older: deps.db.prepare<[number], Row>(
      'SELECT id, path, bytes FROM snapshots WHERE created_at < ? ORDER BY created_at, id',
    ),
    oldest: deps.db.prepare<[], Row>('SELECT id, path, bytes FROM snapshots ORDER BY created_at, id'),
    total: deps.db.prepare<[], { bytes: number; n: number }>(
      'SELECT COALESCE(SUM(bytes), 0) AS bytes, COUNT(*) AS n FROM snapshots',
    ),
    del: deps.db.prepare('DELETE FROM snapshots WHERE id = ?'),
  };
  let isPaused = false;
  let freeBytes: number | null = null;
  let errors = 0;
  let lastError: string | null = null;
  let timer: NodeJS.Timeout | null = null;

  const checkDisk = async (): Promise<boolean> => {
    try {
      const s = await statfs(root);
      freeBytes = s.bavail * s.bsize;
      const low = freeBytes < cfg.diskReserveBytes;
      if (low !== isPaused) {
        if (low)
          log.warn({ freeBytes, reserve: cfg.diskReserveBytes }, 'disk space low: snapshot writing paused');
        else log.info({ freeBytes }, 'disk space recovered: snapshot writing resumed');
      }
      isPaused = low;
    } catch (err) {
      log.warn({ err }, 'could not read free disk space');
    }
    return !isPaused;
  };

  const remove = (row: Row): void => {
    const file = join(root, row.path);
    rmSync(file, { force: true });
    try {
      rmdirSync(dirname(file)); // the day folder, once empty
    } catch {
      /* not empty */
    }
    q.del.run(row.id);
  };

  const store: SnapshotStore = {
    async start() {
      await mkdir(root, { recursive: true });
      await checkDisk();
      store.runRetention(now());
      if (cfg.retentionIntervalMs) {
        timer = setInterval(() => {
          store.runRetention(now());
          void checkDisk();
        }, cfg.retentionIntervalMs);
        timer.unref();
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    async save(taken, opts) {
      // Copied before the first await: the camera reuses its frame buffers (src/frame-pool.ts).
      const frame = { ...taken, data: Buffer.from(taken.data) };
      try {
        await mkdir(root, { recursive: true });
        if (!(await checkDisk())) return null;
        const jpeg = await renderSnapshot(frame, opts, cfg);
        const id = randomBytes(16).toString('hex');
        const rel = `${new Date(frame.ts).toISOString().slice(0, 10)}/${id}.jpg`;
        const file = join(root, rel);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, jpeg);
        try {
          q.insert.run(id, frame.cameraId, opts.trayId, rel, jpeg.length, frame.ts);
        } catch (err) {
          rmSync(file, { force: true });
          throw err;
        }
        lastError = null;
        if (store.totalBytes() > cfg.maxBytes) store.runRetention(now());
        return id;
      } catch (err) {
        errors += 1;
        lastError = err instanceof Error ? err.message : String(err);
        log.error({ err, camera: frame.cameraId }, 'snapshot not saved');
        return null;
      }
    },
    path(id) {
      if (!ID.test(id)) return null;
      const row = q.get.get(id);
      if (!row) return null;
      const file = resolve(root, row.path);
      if (!file.startsWith(root + sep) || !existsSync(file)) return null;
      return file;
    },
    runRetention(at) {
      let deletedFiles = 0;
      let deletedBytes = 0;
      const drop = (r: Row): void => {
        remove(r);
        deletedFiles += 1;
        deletedBytes += r.bytes;
      };
      deps.db.transaction(() => {
        for (const r of q.older.all(at - cfg.retentionDays * DAY_MS)) drop(r);
        let total = store.totalBytes();
        if (total <= cfg.maxBytes) return;
        for (const r of q.oldest.all()) {
          if (total <= cfg.maxBytes) break;
          total -= r.bytes;
          drop(r);
        }
      })();
      if (deletedFiles > 0) log.info({ deletedFiles, deletedBytes }, 'snapshot retention');
      return { deletedFiles, deletedBytes };
    },
    paused: () => isPaused,
    totalBytes: () => q.total.get()?.bytes ?? 0,
    health() {
      const t = q.total.get() ?? { bytes: 0, n: 0 };
      const data = { count: t.n, bytes: t.bytes, freeBytes, paused: isPaused, errors, lastError };
      if (isPaused)
        return {
          state: 'degraded',
          detail: `snapshots paused: ${freeBytes ?? '?'} bytes free, reserve ${cfg.diskReserveBytes}`,
          data,
        };
      if (lastError) return { state: 'degraded', detail: `last snapshot failed: ${lastError}`, data };
      return { state: 'ok', detail: `${t.n} snapshots, ${t.bytes} bytes`, data };
    },
  };
  return store;
}

interface Row {
  id: string;
  path: string;
  bytes: number;
}
