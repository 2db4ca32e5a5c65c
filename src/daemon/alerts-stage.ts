// The alerts stage: stores every verdict, keeps one alert per tray mismatch, publishes both.
import { createAlerts, type Alerts, type AlertsDeps } from '../alerts/index.js';
import type { CameraConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import type { SnapshotStore } from '../store/snapshots.js';
import { need, type Stage } from './stage.js';

export interface AlertsStage extends Stage {
  alerts: () => Alerts;
}

export function createAlertsStage(deps: {
  cameras: CameraConfig[];
  db: () => Db;
  snapshots: () => SnapshotStore | null;
  /** MQTT out, through the orders stage's connection. */
  publish: NonNullable<AlertsDeps['publish']>;
  /** Keep a snapshot for every verdict (OK trays too), not only for alerts. */
  snapshotEveryVerdict: boolean;
  /** The snapshot's caption in menu names ("Missing: 1 × Fries"). */
  caption: NonNullable<AlertsDeps['caption']>;
  bus: EventBus;
  log: Logger;
}): AlertsStage {
  let alerts: Alerts | null = null;
  return {
    name: 'alerts',
    start() {
      alerts = createAlerts({
        db: deps.db(),
        bus: deps.bus,
        log: deps.log,
        publish: deps.publish,
        snapshots: deps.snapshots() ?? undefined,
        zones: Object.fromEntries(deps.cameras.map((c) => [c.id, c.zone])),
        snapshotEveryVerdict: deps.snapshotEveryVerdict,
        caption: deps.caption,
      });
      alerts.start();
    },
    stop: () => alerts?.stop(),
    alerts: () => need(alerts, 'alerts'),
  };
}
