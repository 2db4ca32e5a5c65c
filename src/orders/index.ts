// Orders stage: MQTT in (POS/KDS), validation, order book, expiry; owns the MQTT connection that
// other stages publish through (`mqtt.publish`, `publishOutbound`). Starts the embedded broker
// first when no external broker is configured.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Menu, MqttConfig, OrdersConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { ComponentHealth } from '../health/types.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { createOrdersRepo } from '../store/orders-repo.js';
import { createOrderBook, type BookStats, type OrderBook } from './book.js';
import { createEmbeddedBroker, type EmbeddedBroker } from './broker.js';
import { createIntake, type IntakeStats } from './intake.js';
import { createMqtt, type Mqtt, type MqttStats } from './mqtt.js';
import { defaultClientId } from './mqtt-options.js';
import { createRejections, type RejectionCounts } from './rejections.js';
import { topics, type Topics } from './topics.js';

export { expandOrder, type Expansion } from './menu.js';
export { topics, type Topics } from './topics.js';
export type { OrderBook } from './book.js';
export type { Mqtt } from './mqtt.js';

export interface OrdersDeps {
  config: { mqtt: MqttConfig; menu: Menu; orders: OrdersConfig; storeId: string };
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
  /** For the alerts stage's `publish` dep: verdict → .../verdict, alert → .../alert (QoS 1). */
  publishOutbound(kind: 'verdict' | 'alert', payload: object): void;
  counters(): OrdersCounters;
  health(): ComponentHealth;
}

const RECENT_MS = 5 * 60_000;

export function createOrders(deps: OrdersDeps): Orders {
  const { config, bus } = deps;
  const log = deps.log.child({ stage: 'orders' });
  const now = deps.now ?? Date.now;
  const t = topics(config.mqtt.prefix, config.storeId);
  const repo = createOrdersRepo(deps.db);
  // With users, the daemon logs in to its own broker with a secret that lives only in memory
  // (mqtt.username/password, when set, are used instead: the single login of older configs).
  const needsLogin = !config.mqtt.url && (config.mqtt.users.length > 0 || config.mqtt.username !== undefined);
  const daemonLogin = needsLogin
    ? {
        username: config.mqtt.username ?? defaultClientId(config.storeId),
        password: config.mqtt.password ?? randomBytes(24).toString('base64url'),
      }
    : undefined;
  const mqttConfig = daemonLogin ? { ...config.mqtt, ...daemonLogin } : config.mqtt;
  const broker = config.mqtt.url
    ? null
    : createEmbeddedBroker({
        config: config.mqtt.embedded,
        users: config.mqtt.users,
        base: `${config.mqtt.prefix}/${config.storeId}`,
        dir: join(deps.dataDir, 'broker'),
        log,
        now,
        ...(daemonLogin ? { daemonLogin } : {}),
      });
  const mqtt = createMqtt({
    config: mqttConfig,
    storeId: config.storeId,
    log,
    bus,
    now,
    ...(deps.mqttStartWaitMs !== undefined ? { startWaitMs: deps.mqttStartWaitMs } : {}),
    ...(broker ? { embeddedUrl: () => broker.url() } : {}),
  });
  const book = createOrderBook({ repo, bus, log, ttlMinutes: config.orders.ttlMinutes, now });
  const rejections = createRejections({
    repo,
    bus,
    log,
    now,
    keepBytes: config.orders.rejectedPayloadBytes,
    echo: (msg) => mqtt.publish(t.posRejected, msg, { qos: 0 }),
  });
  const limits = {
    maxPayloadBytes: config.orders.maxPayloadBytes,
    maxNestingDepth: config.orders.maxNestingDepth,
  };
  const intake = createIntake({ book, rejections, menu: config.menu, limits, now });
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
    brokerUrl: () => broker?.url() ?? config.mqtt.url ?? '',
    async start() {
      await broker?.start();
      sweep();
      sweepTimer = setInterval(sweep, config.orders.sweepIntervalS * 1000);
      sweepTimer.unref();
      await mqtt.start();
    },
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      sweepTimer = null;
      await mqtt.stop();
      await broker?.stop();
    },
    publishOutbound(kind, payload) {
      mqtt.publish(kind === 'verdict' ? t.verdict : t.alert, payload, { qos: 1 });
    },
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
