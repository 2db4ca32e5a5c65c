// Tray observations: one row per settled / changed / departed tray, the raw history under the verdicts.
import type { Detection, TrayObservation } from '../types.js';
import type { Db } from './db.js';

/** What /history shows of a detection: scores to 3 places and whole pixels keep a row near 60 bytes. */
const compactDetection = (d: Detection) => ({
  label: d.label,
  score: Math.round(d.score * 1000) / 1000,
  ...(d.uncertain ? { uncertain: true } : {}),
  box: d.box.map((v) => Math.round(v)),
});

export interface ObservationsRepo {
  insert(obs: TrayObservation): void;
  /** Highest n among stored tray ids `<cameraId>-<n>` (0 when none): new tray ids continue after it. */
  lastTrayNumber(cameraId: string): number;
}

export function createObservationsRepo(db: Db): ObservationsRepo {
  const insert = db.prepare<[string, string, string, string, string, string | null, string | null, number]>(
    `INSERT INTO tray_observations (camera_id, tray_id, phase, items_json, uncertain_json, snapshot_id,
       detections_json, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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
        obs.detections ? JSON.stringify(obs.detections.map(compactDetection)) : null,
        obs.ts,
      );
    },
    lastTrayNumber: (cameraId) => lastTray.get(cameraId, cameraId)?.n ?? 0,
  };
}
