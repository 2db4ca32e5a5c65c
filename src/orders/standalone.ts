// Runs the orders stage alone in its own process, for crash tests (SIGKILL mid-stream) and for
// debugging a POS integration without cameras:
//   node dist/src/orders/standalone.js <file.json>
// where the JSON file holds { storeId, dataDir, mqtt?, orders?, menu? } (config sections; defaults
// filled in). Logs JSON lines to stdout; "orders stage ready" carries the broker URL. SIGTERM/SIGINT
// stop it cleanly (exit 0).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyDefaults } from '../config/defaults.js';
import type { Menu, MqttConfig, OrdersConfig } from '../config/schema.js';
import { MenuSection, OrdersSection } from '../config/sections/menu.js';
import { MqttSection } from '../config/sections/mqtt.js';
import { createEventBus } from '../events.js';
import { createLogger } from '../log.js';
import { openDatabase } from '../store/db.js';
import { createOrders } from './index.js';

interface StandaloneConfig {
  storeId: string;
  dataDir: string;
  mqtt?: Record<string, unknown>;
  orders?: Record<string, unknown>;
  menu?: Record<string, unknown>;
  logLevel?: string;
}

async function main(file: string | undefined): Promise<void> {
  if (!file) {
    process.stderr.write('usage: node dist/src/orders/standalone.js <config.json>\n');
    process.exit(2);
  }
  const cfg = JSON.parse(readFileSync(file, 'utf8')) as StandaloneConfig;
  const log = createLogger({ level: cfg.logLevel ?? 'info', pretty: false });
  const db = openDatabase(join(cfg.dataDir, 'traycheck.db'));
  const bus = createEventBus(log);
  const orders = createOrders({
    config: {
      storeId: cfg.storeId,
      mqtt: applyDefaults(MqttSection, cfg.mqtt ?? {}) as MqttConfig,
      orders: applyDefaults(OrdersSection, cfg.orders ?? {}) as OrdersConfig,
      menu: applyDefaults(MenuSection, cfg.menu ?? {}) as Menu,
    },
    db,
    bus,
    log: log.child({ stage: 'orders' }),
    dataDir: cfg.dataDir,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    orders.stop().then(
      () => {
        db.close();
        log.info('orders stage stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'orders stage failed to stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await orders.start();
  log.info(
    { url: orders.broker?.url() ?? orders.mqtt.status().url, connected: orders.mqtt.status().connected },
    'orders stage ready',
  );
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(`orders stage failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
