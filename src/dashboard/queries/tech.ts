// Technician facts: rejected POS messages, disk use of the data folder, retention settings.
import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import { fileBytes, type Db } from '../../store/db.js';
import type { TechRepo } from '../../store/tech-repo.js';

export function latestRejected(repo: TechRepo, limit: number) {
  return repo.latestRejected(limit).map((r) => ({
    id: r.id,
    topic: r.topic,
    reason: r.reason,
    payload: r.payload.slice(0, 500),
    receivedAt: r.received_at,
  }));
}

export function diskUse(repo: TechRepo, db: Db, dataDir: string) {
  const snaps = repo.snapshotTotals();
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
    snapshots: { ...snaps, dir: join(dataDir, 'snapshots') },
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
