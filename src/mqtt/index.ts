// The store's MQTT link: the embedded broker when `mqtt.url` is unset, the daemon's own
// connection (to it or to an external broker), the topics, and the one outbound publishing
// function. The orders stage subscribes through it; other stages publish through `publishOutbound`.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { MqttConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import { createEmbeddedBroker, type EmbeddedBroker } from './broker.js';
import { createMqtt, type Mqtt } from './client.js';
import { defaultClientId } from './options.js';
import { createOutbound, type PublishOutbound } from './outbound.js';
import { topics, type Topics } from './topics.js';

export { BrokerSetupError, type EmbeddedBroker } from './broker.js';
export type { Mqtt, MqttStats } from './client.js';
export type { OutboundMessage, PublishOutbound } from './outbound.js';
export { topics, type Topics } from './topics.js';

export interface MqttLinkDeps {
  config: MqttConfig;
  storeId: string;
  /** storage.dataDir: the embedded broker keeps its state in <dataDir>/broker/. */
  dataDir: string;
  log: Logger;
  bus?: EventBus;
  /** How long start() waits for the broker before going on (reconnecting in the background). */
  startWaitMs?: number;
  now?: () => number;
}

export interface MqttLink {
  start(): Promise<void>;
  stop(): Promise<void>;
  client: Mqtt;
  /** The embedded broker, or null when `mqtt.url` points to an external one. */
  broker: EmbeddedBroker | null;
  topics: Topics;
  publishOutbound: PublishOutbound;
  /** URL a local client (simulated POS, tests) connects to: the embedded broker's, or mqtt.url. */
  brokerUrl(): string;
}

export function createMqttLink(deps: MqttLinkDeps): MqttLink {
  const { config } = deps;
  const t = topics(config.prefix, deps.storeId);
  // With users, the daemon logs in to its own broker with a secret that lives only in memory
  // (mqtt.username/password, when set, are used instead: the single login of older configs).
  const needsLogin = !config.url && (config.users.length > 0 || config.username !== undefined);
  const daemonLogin = needsLogin
    ? {
        username: config.username ?? defaultClientId(deps.storeId),
        password: config.password ?? randomBytes(24).toString('base64url'),
      }
    : undefined;
  const broker = config.url
    ? null
    : createEmbeddedBroker({
        config: config.embedded,
        users: config.users,
        base: `${config.prefix}/${deps.storeId}`,
        dir: join(deps.dataDir, 'broker'),
        log: deps.log,
        ...(deps.now ? { now: deps.now } : {}),
        ...(daemonLogin ? { daemonLogin } : {}),
      });
  const client = createMqtt({
    config: daemonLogin ? { ...config, ...daemonLogin } : config,
    storeId: deps.storeId,
    log: deps.log,
    ...(deps.bus ? { bus: deps.bus } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.startWaitMs !== undefined ? { startWaitMs: deps.startWaitMs } : {}),
    ...(broker ? { embeddedUrl: () => broker.url() } : {}),
  });
  return {
    client,
    broker,
    topics: t,
    publishOutbound: createOutbound(client, t),
    brokerUrl: () => broker?.url() ?? config.url ?? '',
    async start() {
      await broker?.start();
      await client.start();
    },
    async stop() {
      await client.stop();
      await broker?.stop();
    },
  };
}
