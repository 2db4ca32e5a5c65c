// What the dashboard needs from the rest of the daemon (wired in src/daemon.ts).
import type { DashboardConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { HealthReport } from '../health/types.js';
import type { Logger } from '../log.js';
import type { ProbeResult } from '../mqtt/client.js';
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

/** The alerts stage's actions the staff screen uses. */
export interface DashboardAlerts {
  acknowledge(id: number, by: string): Alert | null;
  /** Unresolved alerts: open and acknowledged (only open ones wait for staff). */
  listOpen(): Alert[];
  get(id: number): Alert | null;
  /** Staff say the tray was right: resolved false-alarm (who, when); null when unknown. */
  falseAlarm(id: number, by: string): Alert | null;
  /** Takes a served-with-error alert off every wall screen (emits it); null when unknown. */
  dismiss(id: number, by: string): Alert | null;
  /** Served with an error since `since` and not dismissed, oldest first (at most `limit`). */
  listServedWrong(since: number, limit: number): Alert[];
}

/** The cameras as the live view and /tech see them. */
export interface DashboardCameras {
  statuses(): CameraStatus[];
  latestFrame(cameraId: string): Frame | null;
  /** Check-zone polygon per camera, points in 0..1 of frame width/height. */
  zones(): Record<string, [number, number][]>;
  /** Trays in view now with their counts (the live view); absent = none. */
  liveTrays?: (cameraId: string) => LiveTray[];
  /** Restart one camera's ffmpeg now, the others untouched (/tech); false for an unknown camera. */
  reconnect(cameraId: string, reason: string): boolean;
}

/** What the technician view reads about the daemon and may test. */
export interface DashboardTech {
  health: () => HealthReport;
  model: () => ModelSummary;
  /** Already secret-masked. */
  effectiveConfig: () => unknown;
  configSchema: unknown;
  /** A round trip on the daemon's own MQTT connection (/tech "test broker"). */
  testBroker: (timeoutMs: number) => Promise<ProbeResult>;
}

/**
 * What the dashboard needs from the rest of the daemon (wired in src/daemon/dashboard-stage.ts),
 * grouped by who provides it.
 */
export interface DashboardDeps {
  config: DashboardConfig;
  /** This install: the store, the version it runs, its menu. */
  site: {
    store: { id: string; name: string };
    version: string;
    menu: Record<string, MenuEntry>;
    /** The config's `modifiers` section: order lines read "Burger Meal, no drink" (default: none known). */
    modifiers?: import('../config/schema.js').Modifiers;
  };
  /** Shared daemon parts: the database, the event bus, the stage's logger. */
  core: { db: Db; bus: EventBus; log: Logger };
  /** Folders and files served read-only. */
  files: {
    dataDir: string;
    /** Folder with the POS payload JSON Schemas (*.json). */
    schemasDir: string;
    /** Snapshot id → file, null when unknown or invalid. */
    snapshotPath: (id: string) => string | null;
  };
  alerts: DashboardAlerts;
  cameras: DashboardCameras;
  tech: DashboardTech;
  /** The /teach page's data and actions (src/teach/api.ts); absent = no /teach. */
  teach?: import('../teach/api.js').TeachApi;
  /** The captured frames to label on /teach (src/teach/frames.ts); absent = no frames API. */
  teachFrames?: import('../teach/frames.js').FrameStore;
}

export interface Dashboard {
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
  url(): string;
  /** The one-time setup token while no admin exists (print it as /setup?token=...), else null. */
  setupToken(): string | null;
}
