// The daemon the /teach end-to-end tests run: the built-in sim camera at 5 fps, the shipped model
// (tray threshold 0.2), a Burger Meal menu and an embedded broker. Each test names its store, its
// dashboard and its teach settings.
import { writeConfig } from '../helpers/daemon.js';
import { SHIPPED } from './models.js';

export interface TeachDaemonOptions {
  store: { id: string; name: string };
  dataDir: string;
  /** The dashboard on 127.0.0.1 at this port; null: no dashboard. */
  dashboardPort: number | null;
  teach?: Record<string, unknown>;
}

/** Writes dir/traycheck.yaml and returns its path. */
export function writeTeachConfig(dir: string, opts: TeachDaemonOptions): string {
  return writeConfig(dir, {
    store: opts.store,
    cameras: [{ id: 'counter', source: 'sim:builtin', fps: 5 }],
    detector: { model: SHIPPED, classThresholds: { tray: 0.2 } },
    menu: { COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 } } },
    mqtt: { embedded: { port: 0 } },
    dashboard:
      opts.dashboardPort === null ? { enabled: false } : { bind: '127.0.0.1', port: opts.dashboardPort },
    storage: { dataDir: opts.dataDir },
    ...(opts.teach ? { teach: opts.teach } : {}),
    logging: { level: 'info', pretty: false },
  });
}
