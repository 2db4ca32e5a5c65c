// Disk health of the data folder: free bytes against storage.diskReserveBytes. Below the reserve
// the snapshot store pauses writing (verification goes on); this provider shows that state.
import { accessSync, constants, statfsSync } from 'node:fs';
import type { HealthProvider } from './types.js';

export interface DiskHealthDeps {
  dataDir: string;
  reserveBytes: number;
  /** The snapshot store's own view (it pauses with hysteresis); shown when given. */
  snapshotsPaused?: () => boolean;
  /** Free bytes for the folder (tests); default statfs. */
  freeBytes?: (dir: string) => number;
}

/** Below this, SQLite itself is at risk: the component is down, not just degraded. */
export const DISK_CRITICAL_BYTES = 64 * 1024 * 1024;

const statfsFree = (dir: string): number => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

export const formatBytes = (n: number): string => {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
};

export function createDiskHealth(deps: DiskHealthDeps): HealthProvider {
  const free = deps.freeBytes ?? statfsFree;
  return () => {
    let freeBytes: number;
    try {
      accessSync(deps.dataDir, constants.W_OK);
      freeBytes = free(deps.dataDir);
    } catch (err) {
      return { state: 'down', detail: `data folder ${deps.dataDir} unusable: ${(err as Error).message}` };
    }
    const paused = deps.snapshotsPaused?.() ?? freeBytes < deps.reserveBytes;
    const data = {
      dataDir: deps.dataDir,
      freeBytes,
      reserveBytes: deps.reserveBytes,
      snapshotsPaused: paused,
    };
    const freeText = formatBytes(freeBytes);
    if (freeBytes < DISK_CRITICAL_BYTES) {
      return {
        state: 'down',
        detail: `disk almost full: ${freeText} free in ${deps.dataDir}; the database may fail to write`,
        data,
      };
    }
    if (paused) {
      return {
        state: 'degraded',
        detail: `snapshot writing paused: ${freeText} free, reserve ${formatBytes(deps.reserveBytes)} (verification continues)`,
        data,
      };
    }
    return { state: 'ok', detail: `${freeText} free`, data };
  };
}
