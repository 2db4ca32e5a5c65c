// Embedded MQTT broker (aedes, MQTT 3.1.1), the default when `mqtt.url` is unset: a single box
// works out of the box. Sessions, queued QoS 1 messages and retained messages live on disk under
// <dataDir>/<mqtt.embedded.dirName>/ (broker-persistence.ts) so a POS message published while
// traycheck restarts is delivered afterwards. Production sites should prefer mosquitto (docs/mqtt.md).
// Who may connect and what each role may do: src/mqtt/broker-access.ts; limits: src/mqtt/listeners.ts.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import type { MqttConfig } from '../config/schema.js';
import type { ComponentHealth } from '../health/types.js';
import type { Logger } from '../log.js';
import { createBrokerAccess } from './broker-access.js';
import { createListeners, type LimitBroken, type Listeners } from './listeners.js';
import { SqliteBrokerPersistence } from './broker-persistence.js';
import { primeLengthCache } from './packet-cache.js';

export interface EmbeddedBrokerDeps {
  /** mqtt.embedded: listeners and limits. */
  config: MqttConfig['embedded'];
  /** mqtt.users: empty means anonymous (the config check allows that on loopback only). */
  users: MqttConfig['users'];
  /** `<prefix>/<store>`, the root of the roles' topics. */
  base: string;
  /** Folder for the broker database. */
  dir: string;
  log: Logger;
  /** The daemon's own login; when set (or users exist) every client must log in. */
  daemonLogin?: { username: string; password: string };
  now?: () => number;
}

/** A listener that cannot start (port taken, unreadable certificate): the operator must fix it. */
export class BrokerSetupError extends Error {}

export interface EmbeddedBroker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** mqtt://host:port to connect to (a wildcard bind address becomes 127.0.0.1). */
  url(): string;
  port(): number;
  /** The mqtts listener's port, or null without one. */
  tlsPort(): number | null;
  health(): ComponentHealth;
}

type LimitCounts = Record<LimitBroken | 'tlsHandshakeFailed', number>;

const wildcardToLoopback = (host: string): string =>
  host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;

function readTls(tls: NonNullable<MqttConfig['embedded']['tls']>): {
  cert: Buffer;
  key: Buffer;
  fingerprint: string;
} {
  const read = (file: string, key: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new BrokerSetupError(`mqtt.embedded.tls.${key}: cannot read ${file}: ${(err as Error).message}`);
    }
  };
  const cert = read(tls.certFile, 'certFile');
  const key = read(tls.keyFile, 'keyFile');
  try {
    return { cert, key, fingerprint: new X509Certificate(cert).fingerprint256 };
  } catch (err) {
    throw new BrokerSetupError(
      `mqtt.embedded.tls.certFile: ${tls.certFile} is not a PEM certificate: ${(err as Error).message}`,
    );
  }
}

export function createEmbeddedBroker(deps: EmbeddedBrokerDeps): EmbeddedBroker {
  const { config } = deps;
  const log = deps.log.child({ component: 'broker' });
  const now = deps.now ?? Date.now;
  let aedes: Aedes | null = null;
  let persistence: SqliteBrokerPersistence | null = null;
  let listeners: Listeners | null = null;
  let boundPort = 0;
  let boundTlsPort: number | null = null;
  let fingerprint: string | null = null;
  const connectHost = wildcardToLoopback(config.host);
  const peers = new WeakMap<object, { address: string; gone: () => boolean }>();
  const limits: LimitCounts = {
    'too-large': 0,
    'too-fast': 0,
    malformed: 0,
    'too-many-connections': 0,
    tlsHandshakeFailed: 0,
  };
  const access = createBrokerAccess({
    base: deps.base,
    users: deps.users,
    ...(deps.daemonLogin ? { daemonLogin: deps.daemonLogin } : {}),
    loginFailuresPerMinute: config.loginFailuresPerMinute,
    lockoutMs: config.lockoutS * 1000,
    addressOf: (client: Client) => peers.get(client.conn)?.address ?? 'unknown',
    peerGone: (client: Client) => peers.get(client.conn)?.gone() ?? false,
    log,
    now,
  });
  let lastLimitLogAt = new Map<string, number>();

  const listen = async (
    l: Listeners,
    server: Server,
    host: string,
    port: number,
    key: string,
  ): Promise<number> => {
    try {
      return await l.listen(server, host, port);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new BrokerSetupError(
        `embedded MQTT broker cannot listen on ${host}:${port}: ${e.code ?? e.message}` +
          (e.code === 'EADDRINUSE'
            ? ` (another broker is running there: set mqtt.url to use it, or change ${key})`
            : ''),
      );
    }
  };

  return {
    async start() {
      if (aedes) return;
      primeLengthCache();
      const tls = config.tls ? readTls(config.tls) : null;
      const p = new SqliteBrokerPersistence(join(deps.dir, 'broker.db'));
      persistence = p;
      // aedes sends PUBACK before it queues a QoS 1 message: log it first (broker-persistence.ts).
      const logged = new WeakMap<object, number>();
      const broker = await Aedes.createBroker({
        persistence: p,
        authorizePublish: (client, packet, done) => {
          // aedes' default check, which a custom authorizePublish replaces
          if (packet.topic.startsWith('$SYS/')) return done(new Error('$SYS/ topic is reserved'));
          // MQTT 3.1.1 cannot refuse one PUBLISH: aedes drops the connection, nothing is delivered.
          const refused = access.publishRefusal(client, packet);
          if (refused) return done(new Error(refused));
          if (client && packet.qos === 1) {
            try {
              logged.set(packet, p.inboundLog(packet));
            } catch (err) {
              return done(err as Error); // not acknowledged: the publisher sends it again
            }
          }
          done(null);
        },
        published: (packet, _client, done) => {
          const seq = logged.get(packet);
          if (seq !== undefined) {
            logged.delete(packet);
            try {
              p.inboundDone(seq);
            } catch (err) {
              log.warn({ err }, 'could not clear a queued message from the inbound log');
            }
          }
          done(null);
        },
        ...(access.required
          ? {
              authenticate: access.authenticate,
              authorizeSubscribe: access.authorizeSubscribe,
              authorizeForward: access.authorizeForward,
            }
          : {}),
      });
      aedes = broker;
      const recovered = await republishInbound(broker, p);
      if (recovered > 0)
        log.info(
          { messages: recovered },
          'queued messages the previous process acknowledged but had not queued',
        );
      broker.on('clientError', (client, err) =>
        log.debug({ client: client.id, err: err.message }, 'client error'),
      );
      broker.on('connectionError', (_client, err) => log.debug({ err: err.message }, 'connection error'));
      const l = createListeners({
        maxConnectionsPerAddress: config.maxConnectionsPerAddress,
        maxPacketBytes: config.maxPacketBytes,
        maxPublishPerSecond: config.maxMessagesPerSecond,
        now,
        handle: (conn, address, gone) => {
          peers.set(conn, { address, gone });
          broker.handle(conn);
        },
        onLimit: (limit, address) => {
          limits[limit]++;
          // A flood breaks the same limit many times a second: one line per address and limit a minute.
          const k = `${limit} ${address}`;
          if (now() - (lastLimitLogAt.get(k) ?? -Infinity) < 60_000) return;
          if (lastLimitLogAt.size > 1000) lastLimitLogAt = new Map();
          lastLimitLogAt.set(k, now());
          log.warn(
            { address, limit },
            limit === 'too-fast'
              ? 'MQTT client publishes faster than maxMessagesPerSecond; held back'
              : 'MQTT client broke a broker limit; connection closed',
          );
        },
        onTlsError: (err, address) => {
          limits.tlsHandshakeFailed++;
          log.debug({ address, err: err.message }, 'mqtts handshake failed');
        },
      });
      listeners = l;
      try {
        boundPort = await listen(l, l.plain(), config.host, config.port, 'mqtt.embedded.port');
        if (config.tls && tls) {
          boundTlsPort = await listen(
            l,
            l.tls(tls.cert, tls.key),
            config.tls.host,
            config.tls.port,
            'mqtt.embedded.tls.port',
          );
          fingerprint = tls.fingerprint;
        }
      } catch (err) {
        await this.stop();
        throw err;
      }
      log.info(
        {
          host: config.host,
          port: boundPort,
          ...(config.tls ? { tlsHost: config.tls.host, tlsPort: boundTlsPort, fingerprint } : {}),
          users: deps.users.length,
          login: access.required ? 'required' : 'anonymous (loopback only)',
          dir: deps.dir,
        },
        'embedded MQTT broker listening',
      );
    },
    async stop() {
      const broker = aedes;
      aedes = null;
      await listeners?.close();
      listeners = null;
      if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
      await persistence?.destroy();
      persistence = null;
    },
    url: () => `mqtt://${connectHost.includes(':') ? `[${connectHost}]` : connectHost}:${boundPort}`,
    port: () => boundPort,
    tlsPort: () => boundTlsPort,
    health() {
      if (!aedes || !persistence) return { state: 'down', detail: 'embedded MQTT broker not running' };
      const queued = persistence.queuedCounts();
      const tlsText = boundTlsPort !== null ? `, mqtts on ${config.tls?.host}:${boundTlsPort}` : '';
      return {
        state: 'ok',
        detail: `embedded MQTT broker on ${config.host}:${boundPort}${tlsText}, ${aedes.connectedClients} client(s)`,
        data: {
          clients: aedes.connectedClients,
          queued,
          login: access.required ? 'required' : 'anonymous',
          users: deps.users.length,
          tls: boundTlsPort !== null ? { port: boundTlsPort, fingerprint } : null,
          limits: {
            maxPacketBytes: config.maxPacketBytes,
            maxConnectionsPerAddress: config.maxConnectionsPerAddress,
            maxMessagesPerSecond: config.maxMessagesPerSecond,
            loginFailuresPerMinute: config.loginFailuresPerMinute,
            lockoutS: config.lockoutS,
          },
          refused: {
            ...access.counters(),
            tooLarge: limits['too-large'],
            /** Seconds in which a client was held back for publishing too fast. */
            tooFast: limits['too-fast'],
            malformed: limits.malformed,
            tooManyConnections: limits['too-many-connections'],
            tlsHandshakeFailed: limits.tlsHandshakeFailed,
          },
        },
      };
    },
  };
}

/** Publishes what the inbound log still holds (the previous process died between PUBACK and queueing). */
async function republishInbound(broker: Aedes, p: SqliteBrokerPersistence): Promise<number> {
  const pending = p.inboundPending();
  for (const { seq, packet } of pending) {
    await new Promise<void>((resolve, reject) =>
      broker.publish(packet as PublishPacket, (err) => (err ? reject(err) : resolve())),
    );
    p.inboundDone(seq);
  }
  return pending.length;
}
