// What /tech reads from the database: the rejected POS/KDS messages and the snapshot totals.
import type { Db } from './db.js';

export interface RejectedRow {
  id: number;
  topic: string;
  reason: string;
  payload: string;
  received_at: number;
}

export function createTechRepo(db: Db) {
  const rejected = db.prepare<[number], RejectedRow>(
    'SELECT id, topic, reason, payload, received_at FROM rejected_messages ORDER BY id DESC LIMIT ?',
  );
  const snapshots = db.prepare<[], { n: number; bytes: number | null; oldest: number | null }>(
    'SELECT COUNT(*) AS n, SUM(bytes) AS bytes, MIN(created_at) AS oldest FROM snapshots',
  );
  return {
    latestRejected: (limit: number): RejectedRow[] => rejected.all(limit),
    snapshotTotals() {
      const s = snapshots.get();
      return { count: s?.n ?? 0, bytes: s?.bytes ?? 0, oldestAt: s?.oldest ?? null };
    },
  };
}

export type TechRepo = ReturnType<typeof createTechRepo>;
