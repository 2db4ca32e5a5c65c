// The health stage: the health report over every stage, systemd notify and watchdog, retention and
// the main loop's tick. Started after the stages it reports on.
import { createHealthWiring, type HealthWiring, type HealthWiringDeps } from '../health/wiring.js';
import type { Db } from '../store/db.js';
import type { SnapshotStore } from '../store/snapshots.js';
import { type Stage } from './stage.js';

export interface HealthStage extends Stage {
  /** Null until started. */
  health: () => HealthWiring | null;
}

/** The wiring's deps, with the store stage's parts read when the stage starts (they exist by then). */
export interface HealthStageDeps extends Omit<HealthWiringDeps, 'store'> {
  store: { db: () => Db; snapshots: () => SnapshotStore | null };
}

export function createHealthStage(deps: HealthStageDeps): HealthStage {
  let health: HealthWiring | null = null;
  return {
    name: 'health',
    async start() {
      const { db, snapshots } = deps.store;
      health = createHealthWiring({ ...deps, store: { db, snapshots: snapshots() ?? undefined } });
      await health.start();
    },
    stop: () => health?.stop(),
    health: () => health,
  };
}
