// Tray observations: one row per settled / changed / departed tray, the raw history under the verdicts.
import type { TrayObservation } from '../types.js';
import type { Db } from './db.js';

export interface ObservationsRepo {
  insert(obs: TrayObservation): void;
  /** Highest n among stored tray ids `<cameraId>-<n>` (0 when none): new tray ids continue after it. */
  lastTrayNumber(cameraId: string): number;
}

export function createObservationsRepo(db: Db): ObservationsRepo {
  const insert = db.prepare<[string, string, string, string, string, string | null, number]>(
    'INSERT INTO tray_observations (camera_id, tray_id, phase, items_json, uncertain_json, snapshot_id, ts) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const lastTray = db.prepare<[string, string], { n: number | null }>(
    'SELECT MAX(CAST(substr(tray_id, length(?) + 2) AS INTEGER)) AS n FROM tray_observations WHERE camera_id = ?',
  );
  return {
    insert(obs) {
      insert.run(
        obs.cameraId,
        obs.trayId,
        obs.phase,
        JSON.stringify(obs.items),
        JSON.stringify(obs.uncertain),
        obs.snapshotId ?? null,
        obs.ts,
      );
    },
    lastTrayNumber: (cameraId) => lastTray.get(cameraId, cameraId)?.n ?? 0,
  };
}
