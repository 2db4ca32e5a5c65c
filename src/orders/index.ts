// Orders stage: POS/KDS messages in, validation, order book, expiry. It owns the store's MQTT
// link (src/mqtt/: embedded broker when no external one is configured, the daemon's connection)
// and hands out its `publishOutbound`, the one way out for the other stages.
import type { Menu, Modifiers, MqttConfig, OrdersConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { ComponentHealth } from '../health/types.js';
import type { Logger } from '../log.js';
import {
  createMqttLink,
  type EmbeddedBroker,
  type Mqtt,
  type MqttStats,
  type PublishOutbound,
  type Topics,
} from '../mqtt/index.js';
import type { Db } from '../store/db.js';
import { createOrdersRepo } from '../store/orders-repo.js';
import { createOrderBook, type BookStats, type OrderBook } from './book.js';
import { createIntake, type IntakeStats } from './intake.js';
import { createRejections, type RejectionCounts } from './rejections.js';

export type { OrderBook } from './book.js';

export interface OrdersDeps {
  config: { mqtt: MqttConfig; menu: Menu; modifiers?: Modifiers; orders: OrdersConfig; storeId: string };
  db: Db;
  bus: EventBus;
  log: Logger;
  /** storage.dataDir: the embedded broker keeps its state in <dataDir>/broker/. */
  dataDir: string;
  /** How long start() waits for the broker before going on (reconnecting in the background). Default 5000. */
  mqttStartWaitMs?: number;
  now?: () => number;
}

export interface OrdersCounters {
  intake: IntakeStats;
  book: BookStats;
  rejected: RejectionCounts;
  mqtt: MqttStats;
}

export interface Orders {
  start(): Promise<void>;
  stop(): Promise<void>;
  book: OrderBook;
  mqtt: Mqtt;
  /** The embedded broker, or null when `mqtt.url` points to an external one. */
  broker: EmbeddedBroker | null;
  topics: Topics;
  /** URL a local client (simulated POS, tests) connects to: the embedded broker's, or mqtt.url. */
  brokerUrl(): string;
  /** The one way out for verdicts, alerts, camera status and rejection echoes (src/mqtt/outbound.ts). */
  publishOutbound: PublishOutbound;
  counters(): OrdersCounters;
  health(): ComponentHealth;
}

const RECENT_MS = 5 * 60_000;

export function createOrders(deps: OrdersDeps): Orders {
  const { config, bus } = deps;
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const repo = createOrdersRepo(deps.db);
  const link = createMqttLink({
    config: config.mqtt,
    storeId: config.storeId,
    dataDir: deps.dataDir,
    log,
    bus,
    now,
    ...(deps.mqttStartWaitMs !== undefined ? { startWaitMs: deps.mqttStartWaitMs } : {}),
  });
  const { client: mqtt, broker, publishOutbound, topics: t } = link;
  const book = createOrderBook({ repo, bus, log, ttlMinutes: config.orders.ttlMinutes, now });
  const rejections = createRejections({
    repo,
    bus,
    log,
    now,
    keepBytes: config.orders.rejectedPayloadBytes,
    echo: (msg) => publishOutbound({ kind: 'posRejected', payload: msg }),
  });
  const limits = {
    maxPayloadBytes: config.orders.maxPayloadBytes,
    maxNestingDepth: config.orders.maxNestingDepth,
  };
  const intake = createIntake({
    book,
    rejections,
    menu: config.menu,
    modifiers: config.modifiers,
    limits,
    now,
  });
  mqtt.subscribe(t.pos, (topic, payload) => intake.handle('pos', topic, payload));
  mqtt.subscribe(t.kds, (topic, payload) => intake.handle('kds', topic, payload));

  let sweepTimer: NodeJS.Timeout | null = null;
  const sweep = (): void => {
    try {
      book.sweep(now());
      repo.trimRejected(config.orders.rejectedMaxRows);
    } catch (err) {
      log.error({ err }, 'order expiry sweep failed');
    }
  };

  return {
    book,
    mqtt,
    broker,
    topics: t,
    brokerUrl: () => link.brokerUrl(),
    async start() {
      sweep();
      sweepTimer = setInterval(sweep, config.orders.sweepIntervalS * 1000);
      sweepTimer.unref();
      await link.start();
    },
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      sweepTimer = null;
      await link.stop();
    },
    publishOutbound,
    counters: () => ({
      intake: intake.stats(),
      book: book.stats(),
      rejected: rejections.counts(),
      mqtt: mqtt.stats(),
    }),
    health() {
      const m = mqtt.health();
      const b = broker?.health();
      const recent = rejections.recent(RECENT_MS);
      const last = rejections.last();
      const data = {
        ...m.data,
        broker: b?.data ?? null,
        rejectedRecent: recent,
        rejected: rejections.counts(),
        book: book.stats(),
      };
      if (b && b.state !== 'ok') return { state: 'down', detail: b.detail, data };
      const failedAt = mqtt.stats().lastHandlerErrorAt;
      if (failedAt !== null && now() - failedAt < RECENT_MS) {
        // Store failures leave messages unacknowledged (we reconnect so the broker redelivers them):
        // nothing is lost, but someone should look at the disk.
        const at = new Date(failedAt).toISOString();
        return {
          state: 'degraded',
          detail: `POS messages could not be stored (last at ${at}, see the log); the broker redelivers them`,
          data,
        };
      }
      if (m.state !== 'ok') return { ...m, data };
      const rej = recent
        ? `; ${recent} message(s) rejected in the last 5 min (last: ${last?.reason ?? '?'})`
        : '';
      return { state: 'ok', detail: `${m.detail}${rej}`, data };
    },
  };
}
