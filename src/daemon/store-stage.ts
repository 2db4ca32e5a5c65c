// The store stage: the SQLite database and the snapshot store on it.
import { join } from 'node:path';
import type { StorageConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import { databaseFile, openDatabase, type Db } from '../store/db.js';
import { createSnapshotStore, snapshotConfig, type SnapshotStore } from '../store/snapshots.js';
import { need, StartupError, type Stage } from './stage.js';

export interface StoreStage extends Stage {
  db: () => Db;
  /** Null until started (the alerts and health stages take it optionally). */
  snapshots: () => SnapshotStore | null;
}

export function createStoreStage(deps: { storage: StorageConfig; log: Logger }): StoreStage {
  let db: Db | null = null;
  let snapshots: SnapshotStore | null = null;
  return {
    name: 'store',
    start() {
      try {
        db = openDatabase(databaseFile(deps.storage.dataDir));
      } catch (err) {
        throw new StartupError('store', (err as Error).message);
      }
      snapshots = createSnapshotStore({
        dir: join(deps.storage.dataDir, 'snapshots'),
        db,
        log: deps.log.child({ component: 'snapshots' }),
        // Snapshot retention runs with the rest of retention, in the health stage.
        config: { ...snapshotConfig(deps.storage), retentionIntervalMs: undefined },
      });
      return snapshots.start();
    },
    stop() {
      snapshots?.stop();
      db?.close();
      db = null;
    },
    db: () => need(db, 'store'),
    snapshots: () => snapshots,
  };
}
