// `traycheck orders <stage.json>`: the orders stage alone in its own process (MQTT intake,
// validation, order book; no cameras), for crash tests (SIGKILL mid-stream) and for checking a POS
// integration. The JSON file holds { storeId, dataDir, mqtt?, orders?, menu?, logLevel? } (config
// sections, defaults filled in). Logs JSON lines to stdout; "orders stage ready" carries the broker
// URL. SIGTERM/SIGINT stop it cleanly (exit 0).
import { readFileSync } from 'node:fs';
import { applyDefaults } from '../../config/defaults.js';
import type { Menu, MqttConfig, OrdersConfig } from '../../config/schema.js';
import { MenuSection, OrdersSection } from '../../config/sections/menu.js';
import { MqttSection } from '../../config/sections/mqtt.js';
import { createEventBus } from '../../events.js';
import { createLogger } from '../../log.js';
import { createOrders } from '../../orders/index.js';
import { databaseFile, openDatabase } from '../../store/db.js';
import { UsageError, type Command } from '../command.js';
import { runUntilSignal } from '../lifecycle.js';

interface StageFile {
  storeId: string;
  dataDir: string;
  mqtt?: Record<string, unknown>;
  orders?: Record<string, unknown>;
  menu?: Record<string, unknown>;
  logLevel?: string;
}

export const ordersCommand: Command = {
  name: 'orders',
  summary: 'run the orders stage alone (MQTT intake and order book, no cameras): POS checks, crash tests',
  usage: 'orders <stage.json>',
  positionals: true,
  options: {},
  async run(args) {
    const file = args.positionals[0];
    if (!file) throw new UsageError('give the stage file (JSON: storeId, dataDir, mqtt, orders, menu)');
    let cfg: StageFile;
    try {
      cfg = JSON.parse(readFileSync(file, 'utf8')) as StageFile;
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    const log = createLogger({ level: cfg.logLevel ?? 'info', pretty: false });
    const db = openDatabase(databaseFile(cfg.dataDir));
    const orders = createOrders({
      config: {
        storeId: cfg.storeId,
        mqtt: applyDefaults(MqttSection, cfg.mqtt ?? {}) as MqttConfig,
        orders: applyDefaults(OrdersSection, cfg.orders ?? {}) as OrdersConfig,
        menu: applyDefaults(MenuSection, cfg.menu ?? {}) as Menu,
      },
      db,
      bus: createEventBus(log.child({ component: 'bus' })),
      log: log.child({ stage: 'orders' }),
      dataDir: cfg.dataDir,
    });
    const stopped = runUntilSignal(
      {
        async stop() {
          await orders.stop();
          db.close();
        },
      },
      log,
    );
    await orders.start();
    log.info(
      { url: orders.broker?.url() ?? orders.mqtt.status().url, connected: orders.mqtt.status().connected },
      'orders stage ready',
    );
    return stopped;
  },
};
