// The orders stage: MQTT intake (and the embedded broker), validation, the order book.
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import { BrokerSetupError } from '../mqtt/broker.js';
import { createOrders, type Orders, type OrdersDeps } from '../orders/index.js';
import type { Db } from '../store/db.js';
import { need, StartupError, type Stage } from './stage.js';

export interface OrdersStage extends Stage {
  orders: () => Orders;
}

export function createOrdersStage(deps: {
  config: OrdersDeps['config'];
  /** storage.dataDir: the embedded broker keeps its state under it. */
  dataDir: string;
  db: () => Db;
  bus: EventBus;
  log: Logger;
}): OrdersStage {
  let orders: Orders | null = null;
  return {
    name: 'orders',
    start() {
      orders = createOrders({
        config: deps.config,
        db: deps.db(),
        bus: deps.bus,
        log: deps.log,
        dataDir: deps.dataDir,
      });
      return orders.start().catch((err: unknown) => {
        if (err instanceof BrokerSetupError) throw new StartupError('mqtt', err.message);
        throw err;
      });
    },
    stop: () => orders?.stop(),
    orders: () => need(orders, 'orders'),
  };
}
