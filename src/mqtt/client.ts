// The daemon's MQTT connection (zigbee2mqtt lib/mqtt.ts is the model): persistent session with a
// fixed client id, last will + retained online/offline, resubscribe when the broker has no
// session for us, capped exponential reconnect backoff, and a publish() that never throws.
//
// Inbound messages are handled in mqtt.js's `handleMessage` hook, which runs before the QoS 1
// PUBACK is sent: handlers store synchronously (better-sqlite3), so a message is acknowledged only
// once it is on disk. A handler that throws leaves the message unacknowledged and drops the
// connection, so the broker delivers it again after the reconnect.
import mqtt, { type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import type { MqttConfig } from '../config/schema.js';
import type { EventBus } from '../events.js';
import type { ComponentHealth } from '../health/types.js';
import { redactUrl, type Logger } from '../log.js';
import { buildClientOptions, nextBackoffMs, type ConnectTarget } from './options.js';
import { primeLengthCache } from './packet-cache.js';
import { createProbes, type ProbeResult } from './probe.js';
import { topicMatches, topics as makeTopics } from './topics.js';

export { topics, type Topics } from './topics.js';
export type { ProbeResult } from './probe.js';

export type MessageHandler = (topic: string, payload: Buffer, packet: IPublishPacket) => void | Promise<void>;

export interface MqttDeps {
  config: MqttConfig;
  storeId: string;
  log: Logger;
  bus?: EventBus;
  /** Broker to use when `config.url` is unset (the embedded broker); read at start(). */
  embeddedUrl?: () => string;
  /** How long start() waits for the first connection before going on in the background. */
  startWaitMs?: number;
  now?: () => number;
}

export interface PublishOptions {
  retain?: boolean;
  /** Default 1. */
  qos?: 0 | 1;
}

export interface MqttStatus {
  connected: boolean;
  url: string;
  error: string | null;
}

export interface MqttStats {
  connects: number;
  received: number;
  unhandled: number;
  handlerErrors: number;
  lastHandlerErrorAt: number | null;
  published: number;
  publishErrors: number;
  queuedOffline: number;
  droppedOffline: number;
  subscribed: string[];
  sessionPresent: boolean;
}

export interface Mqtt {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Never throws: while disconnected QoS 1 is queued (bounded, oldest dropped), QoS 0 dropped; both counted. */
  publish(topic: string, payload: string | Buffer | object, opts?: PublishOptions): void;
  /** Register a handler (QoS 1 subscription); call before start() for topics that must not miss a message. */
  subscribe(topic: string, handler: MessageHandler): void;
  status(): MqttStatus;
  health(): ComponentHealth;
  stats(): MqttStats;
  /** Resolves true once connected with every subscription granted, false after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<boolean>;
  /**
   * Subscribes to a fresh `<base>/probe/<random>` topic, publishes one QoS 1 message to it and
   * waits for it to come back: what the technician's "test broker" button shows (never throws).
   */
  probe(timeoutMs: number): Promise<ProbeResult>;
}

interface Queued {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
}

const toBuffer = (p: string | Buffer | object): Buffer =>
  Buffer.isBuffer(p) ? p : Buffer.from(typeof p === 'string' ? p : JSON.stringify(p));

export function createMqtt(deps: MqttDeps): Mqtt {
  const { config, log: parentLog, bus } = deps;
  const log = parentLog.child({ component: 'mqtt' });
  const now = deps.now ?? Date.now;
  const t = makeTopics(config.prefix, deps.storeId);
  const handlers = new Map<string, MessageHandler[]>();
  const granted = new Set<string>();
  const queue: Queued[] = [];
  const waiters = new Set<() => void>();
  const stats: MqttStats = {
    connects: 0,
    received: 0,
    unhandled: 0,
    handlerErrors: 0,
    lastHandlerErrorAt: null,
    published: 0,
    publishErrors: 0,
    queuedOffline: 0,
    droppedOffline: 0,
    subscribed: [],
    sessionPresent: false,
  };
  let client: MqttClient | null = null;
  let target: ConnectTarget | null = null;
  let connected = false;
  let error: string | null = null;
  let refused: string | null = null;
  let stopping = false;
  let backoffMs = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let changedAt = now();
  let lastErrorLogAt = 0;

  const url = (): string => redactUrl(target?.url ?? config.url ?? '(embedded broker)');
  const ready = (): boolean => connected && [...handlers.keys()].every((f) => granted.has(f));
  const notify = (): void => {
    if (!ready()) return;
    for (const w of [...waiters]) w();
  };
  const emitStatus = (): void => bus?.emit('brokerStatus', { connected, url: url(), error, ts: now() });

  const send = (q: Queued): void => {
    if (!client) return;
    stats.published++;
    client.publish(q.topic, q.payload, { qos: q.qos, retain: q.retain }, (err) => {
      if (!err) return;
      stats.publishErrors++;
      log.warn({ err: err.message, topic: q.topic }, 'publish failed');
    });
  };

  const enqueue = (q: Queued): void => {
    if (q.qos === 0 && !q.retain) {
      stats.droppedOffline++;
      return;
    }
    // A retained message replaces the queued one of its topic: only the latest state matters.
    if (q.retain) {
      const i = queue.findIndex((e) => e.retain && e.topic === q.topic);
      if (i >= 0) queue.splice(i, 1);
    }
    if (config.offlineQueueMax === 0) {
      stats.droppedOffline++;
      return;
    }
    while (queue.length >= config.offlineQueueMax) {
      queue.shift();
      stats.droppedOffline++;
    }
    queue.push(q);
    stats.queuedOffline++;
  };

  const subscribeMissing = (): void => {
    const missing = [...handlers.keys()].filter((f) => !granted.has(f));
    if (!client || missing.length === 0) return notify();
    client.subscribe(Object.fromEntries(missing.map((f) => [f, { qos: 1 as const }])), (err, grants) => {
      if (err) {
        log.warn({ err: err.message }, 'subscribe failed; retrying after the next reconnect');
        return;
      }
      for (const g of grants ?? []) {
        if (g.qos >= 0x80) {
          refused = `broker refused the subscription to ${g.topic} (check its ACL)`;
          log.error({ topic: g.topic, code: g.qos }, refused);
        } else granted.add(g.topic);
      }
      stats.subscribed = [...granted];
      notify();
    });
  };

  const onConnect = (connack: IConnackPacket): void => {
    connected = true;
    error = null;
    changedAt = now();
    stats.connects++;
    stats.sessionPresent = connack.sessionPresent;
    // After a store failure keep backing off, or a broken disk would spin redeliveries.
    if (stats.lastHandlerErrorAt === null || now() - stats.lastHandlerErrorAt > 60_000) backoffMs = 0;
    refused = null;
    // No session on the broker (first start, broker lost its state, session expired): resubscribe.
    if (!connack.sessionPresent) granted.clear();
    log.info({ url: url(), sessionPresent: connack.sessionPresent }, 'connected to MQTT broker');
    subscribeMissing();
    send({ topic: t.status, payload: Buffer.from('online'), qos: 1, retain: true });
    for (const q of queue.splice(0)) send(q);
    emitStatus();
  };

  const scheduleReconnect = (): void => {
    if (stopping || reconnectTimer || !client) return;
    backoffMs = nextBackoffMs(backoffMs, config.reconnectMinMs, config.reconnectMaxMs);
    const c = client;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      if (stopping) return;
      // Keep mqtt.js's in-flight stores so unacknowledged publishes are resent.
      c.reconnect({ incomingStore: c.incomingStore, outgoingStore: c.outgoingStore });
    }, backoffMs);
  };

  const onClose = (): void => {
    if (connected) {
      connected = false;
      changedAt = now();
      // stop() ends the connection itself: that is no lost broker and nothing reconnects.
      if (stopping) log.info({ url: url() }, 'disconnected from MQTT broker');
      else log.warn({ url: url(), error }, 'disconnected from MQTT broker; reconnecting');
      emitStatus();
    }
    scheduleReconnect();
  };

  const onError = (err: Error): void => {
    error = redactUrl(err.message || String(err));
    // A broker that stays down reports the same error on every attempt: log it once a minute.
    if (now() - lastErrorLogAt >= 60_000) {
      lastErrorLogAt = now();
      log.warn({ url: url(), error }, 'MQTT connection error');
    }
  };

  const probes = createProbes(t.probe);

  const handleMessage = (packet: IPublishPacket, done: (err?: Error) => void): void => {
    const topic = packet.topic;
    // A /tech round trip coming back: not POS traffic.
    if (probes.deliver(topic)) return done();
    stats.received++;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const matched: MessageHandler[] = [];
    for (const [filter, hs] of handlers) if (topicMatches(filter, topic)) matched.push(...hs);
    if (matched.length === 0) {
      stats.unhandled++;
      return done();
    }
    const fail = (err: unknown): void => {
      stats.handlerErrors++;
      stats.lastHandlerErrorAt = now();
      log.error(
        { err, topic, qos: packet.qos },
        'could not process a message; leaving it unacknowledged and reconnecting',
      );
      done(err instanceof Error ? err : new Error(String(err)));
      // Without a PUBACK the broker redelivers the message only on a new connection.
      if (packet.qos > 0) client?.stream?.destroy();
    };
    try {
      const pending = matched
        .map((h) => h(topic, payload, packet))
        .filter((r): r is Promise<void> => r instanceof Promise);
      if (pending.length === 0) return done();
      Promise.all(pending).then(() => done(), fail);
    } catch (err) {
      fail(err);
    }
  };

  return {
    async start() {
      if (client) return;
      stopping = false;
      primeLengthCache();
      target = config.url
        ? { url: config.url, protocolVersion: config.protocolVersion }
        : { url: deps.embeddedUrl?.() ?? 'mqtt://127.0.0.1:1883', protocolVersion: 4 };
      const options = buildClientOptions(config, deps.storeId, target, t.status);
      const c = mqtt.connect(target.url, options);
      client = c;
      c.handleMessage = handleMessage;
      c.on('connect', onConnect);
      c.on('close', onClose);
      c.on('error', onError);
      log.info(
        { url: url(), clientId: options.clientId, protocolVersion: target.protocolVersion },
        'connecting to MQTT broker',
      );
      if (!(await this.whenReady(deps.startWaitMs ?? 5000))) {
        log.warn({ url: url(), error }, 'MQTT broker not reachable yet; retrying in the background');
      }
    },
    async stop() {
      stopping = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const c = client;
      client = null;
      if (!c) return;
      if (connected) {
        // A clean disconnect suppresses the will: say offline ourselves first.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2000);
          c.publish(t.status, 'offline', { qos: 1, retain: true }, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => c.end(true, {}, () => resolve()), 2000);
        c.end(false, {}, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      c.removeAllListeners();
      c.on('error', () => undefined);
      const was = connected;
      connected = false;
      changedAt = now();
      if (was) emitStatus();
      for (const w of [...waiters]) w();
    },
    publish(topic, payload, opts = {}) {
      let buf: Buffer;
      try {
        buf = toBuffer(payload);
      } catch (err) {
        stats.publishErrors++;
        log.warn({ err, topic }, 'payload could not be serialised; dropped');
        return;
      }
      const q: Queued = { topic, payload: buf, qos: opts.qos ?? 1, retain: opts.retain ?? false };
      try {
        if (client && connected) send(q);
        else enqueue(q);
      } catch (err) {
        stats.publishErrors++;
        log.warn({ err, topic }, 'publish failed');
      }
    },
    subscribe(topic, handler) {
      const list = handlers.get(topic) ?? [];
      list.push(handler);
      handlers.set(topic, list);
      if (connected) subscribeMissing();
    },
    status: () => ({ connected, url: url(), error }),
    stats: () => ({ ...stats, subscribed: [...granted] }),
    health() {
      const since = new Date(changedAt).toISOString();
      const data = { ...stats, subscribed: [...granted], url: url(), queued: queue.length, since };
      if (!client) return { state: 'down', detail: 'MQTT client not started', data };
      if (!connected) {
        return {
          state: 'down',
          detail: `MQTT broker ${url()} unreachable since ${since}${error ? `: ${error}` : ''}`,
          data,
        };
      }
      if (refused) return { state: 'degraded', detail: refused, data };
      if (!ready())
        return { state: 'degraded', detail: `connected to ${url()}, waiting for the subscriptions`, data };
      return { state: 'ok', detail: `connected to ${url()} since ${since}`, data };
    },
    probe(timeoutMs) {
      if (!client || !connected)
        return Promise.resolve({ ok: false, error: `not connected to ${url()}${error ? `: ${error}` : ''}` });
      return probes.run(client, timeoutMs);
    },
    whenReady(timeoutMs) {
      if (ready()) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve(ready());
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
      });
    },
  };
}
