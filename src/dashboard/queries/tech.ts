// Technician facts: rejected POS messages, disk use of the data folder, retention settings.
import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import { fileBytes, type Db } from '../../store/db.js';

export function latestRejected(db: Db, limit: number) {
  return db
    .prepare<[number], { id: number; topic: string; reason: string; payload: string; received_at: number }>(
      'SELECT id, topic, reason, payload, received_at FROM rejected_messages ORDER BY id DESC LIMIT ?',
    )
    .all(limit)
    .map((r) => ({
      id: r.id,
      topic: r.topic,
      reason: r.reason,
      payload: r.payload.slice(0, 500),
      receivedAt: r.received_at,
    }));
}

export function diskUse(db: Db, dataDir: string) {
  const snaps = db
    .prepare<[], { n: number; bytes: number | null; oldest: number | null }>(
      'SELECT COUNT(*) AS n, SUM(bytes) AS bytes, MIN(created_at) AS oldest FROM snapshots',
    )
    .get();
  let freeBytes: number | null = null;
  let totalBytes: number | null = null;
  try {
    const s = statfsSync(dataDir);
    freeBytes = s.bavail * s.bsize;
    totalBytes = s.blocks * s.bsize;
  } catch {
    /* data dir missing or not a local fs: leave unknown */
  }
  const dbFile = db.name;
  return {
    dataDir,
    databaseBytes: fileBytes(dbFile) + fileBytes(`${dbFile}-wal`) + fileBytes(`${dbFile}-shm`),
    snapshots: {
      count: snaps?.n ?? 0,
      bytes: snaps?.bytes ?? 0,
      oldestAt: snaps?.oldest ?? null,
      dir: join(dataDir, 'snapshots'),
    },
    freeBytes,
    totalBytes,
  };
}

/** Retention keys from the (masked) effective config, whatever else it holds. */
export function retentionOf(effective: unknown): Record<string, unknown> {
  const storage = (effective as { storage?: unknown } | null)?.storage;
  if (!storage || typeof storage !== 'object') return {};
  const keep = [
    'snapshotRetentionDays',
    'snapshotMaxBytes',
    'verdictRetentionDays',
    'diskReserveBytes',
    'retentionIntervalMin',
  ];
  return Object.fromEntries(Object.entries(storage).filter(([k]) => keep.includes(k)));
}
