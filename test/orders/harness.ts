// Shared set-up for the orders integration tests: the real orders stage on a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Menu, MqttConfig, OrdersConfig } from '../../src/config/schema.js';
import { applyDefaults } from '../../src/config/defaults.js';
import { MenuSection, OrdersSection } from '../../src/config/sections/menu.js';
import { MqttSection } from '../../src/config/sections/mqtt.js';
import { createEventBus, type EventBus } from '../../src/events.js';
import { silentLogger } from '../../src/log.js';
import { createOrders, type Orders } from '../../src/orders/index.js';
import { openDatabase, type Db } from '../../src/store/db.js';

export const MENU = applyDefaults(MenuSection, {
  COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 } },
  NUGGETS6: { name: '6 Nuggets', contains: { nuggets: 1 } },
  FRIES: { name: 'Fries', contains: { fries: 1 } },
  DRINK: { name: 'Drink', contains: { drink: 1 } },
  GIFT_CARD: { name: 'Gift card', verify: false },
}) as Menu;

export const mqttConfig = (over: Record<string, unknown> = {}): MqttConfig =>
  applyDefaults(MqttSection, { ...over }) as MqttConfig;
export const ordersConfig = (over: Record<string, unknown> = {}): OrdersConfig =>
  applyDefaults(OrdersSection, { ...over }) as OrdersConfig;

export interface Stage {
  orders: Orders;
  db: Db;
  bus: EventBus;
  dataDir: string;
  stop(): Promise<void>;
  count(sql: string): number;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'traycheck-orders-'));
}

export async function startStage(opts: {
  dataDir: string;
  mqtt?: Record<string, unknown>;
  orders?: Record<string, unknown>;
  storeId?: string;
  menu?: Menu;
  startWaitMs?: number;
}): Promise<Stage> {
  const db = openDatabase(join(opts.dataDir, 'traycheck.db'));
  const bus = createEventBus(silentLogger());
  const orders = createOrders({
    config: {
      mqtt: mqttConfig(opts.mqtt),
      orders: ordersConfig(opts.orders),
      menu: opts.menu ?? MENU,
      storeId: opts.storeId ?? 's1',
    },
    db,
    bus,
    log: silentLogger(),
    dataDir: opts.dataDir,
    ...(opts.startWaitMs !== undefined ? { mqttStartWaitMs: opts.startWaitMs } : {}),
  });
  await orders.start();
  let stopped = false;
  return {
    orders,
    db,
    bus,
    dataDir: opts.dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await orders.stop();
      db.close();
    },
    count: (sql) => (db.prepare(sql).get() as { n: number }).n,
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A POS-side client (MQTT 3.1.1 works with both brokers). */
export async function posClient(
  url: string,
  clientId = `pos-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(url, {
    clientId,
    protocolVersion: 4,
    clean: false,
    reconnectPeriod: 200,
    connectTimeout: 5000,
  });
}

export { placed } from '../helpers/pos.js';
