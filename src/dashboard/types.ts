// What the dashboard needs from the rest of the daemon (wired in src/daemon.ts).
import type { DashboardConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { HealthReport } from '../health/types.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import type { Alert, CameraStatus, Frame, LiveTray } from '../types.js';

export type { LiveTray } from '../types.js';

export interface ModelSummary {
  name: string;
  path: string;
  sha256: string;
  labels: string[];
  family: string;
  version: string | null;
  /** Latest promotions, rollbacks and refusals from the model registry's audit log, newest first. */
  changes?: Array<{ at: string; action: string; sha256: string | null; detail?: string }>;
}

export interface MenuEntry {
  name: string;
  contains: Record<string, number>;
  verify: boolean;
}

export interface DashboardDeps {
  config: DashboardConfig;
  store: { id: string; name: string };
  db: Db;
  bus: EventBus;
  log: Logger;
  dataDir: string;
  alerts: {
    acknowledge(id: number, by: string): Alert | null;
    /** Unresolved alerts: open and acknowledged (only open ones wait for staff). */
    listOpen(): Alert[];
    get(id: number): Alert | null;
  };
  getHealth: () => HealthReport;
  cameras: {
    statuses(): CameraStatus[];
    latestFrame(cameraId: string): Frame | null;
    /** Check-zone polygon per camera, points in 0..1 of frame width/height. */
    zones(): Record<string, [number, number][]>;
  };
  liveTrays?: (cameraId: string) => LiveTray[];
  model: () => ModelSummary;
  /** Already secret-masked. */
  effectiveConfig: () => unknown;
  configSchema: unknown;
  /** Folder with the POS payload JSON Schemas (*.json). */
  schemasDir: string;
  /** Snapshot id → file, null when unknown or invalid. */
  snapshotPath: (id: string) => string | null;
  menu: Record<string, MenuEntry>;
  /** The config's `modifiers` section: order lines read "Burger Meal, no drink" (default: none known). */
  modifiers?: import('../config/schema.js').Modifiers;
  version: string;
  /** The /teach page's data and actions (src/teach/api.ts); absent = no /teach. */
  teach?: import('../teach/api.js').TeachApi;
}

export interface Dashboard {
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
  url(): string;
  /** The one-time setup token while no admin exists (print it as /setup?token=...), else null. */
  setupToken(): string | null;
}
