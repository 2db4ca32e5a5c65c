// Embedded MQTT broker (aedes, MQTT 3.1.1), the default when `mqtt.url` is unset: a single box
// works out of the box. Sessions, queued QoS 1 messages and retained messages live on disk under
// <dataDir>/<mqtt.embedded.dirName>/ (broker-persistence.ts) so a POS message published while
// traycheck restarts is delivered afterwards. Production sites should prefer mosquitto (docs/mqtt.md).
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { Aedes, type AuthenticateError, type PublishPacket } from 'aedes';
import type { ComponentHealth } from '../health/types.js';
import type { Logger } from '../log.js';
import { SqliteBrokerPersistence } from './broker-persistence.js';

export interface EmbeddedBrokerDeps {
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Folder for the broker database. */
  dir: string;
  log: Logger;
  /** When set, every client must log in with these credentials. */
  auth?: { username: string; password: string };
}

export interface EmbeddedBroker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** mqtt://host:port to connect to (a wildcard bind address becomes 127.0.0.1). */
  url(): string;
  port(): number;
  health(): ComponentHealth;
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function createEmbeddedBroker(deps: EmbeddedBrokerDeps): EmbeddedBroker {
  const log = deps.log.child({ component: 'broker' });
  let aedes: Aedes | null = null;
  let server: Server | null = null;
  let persistence: SqliteBrokerPersistence | null = null;
  let boundPort = 0;
  const sockets = new Set<Socket>();
  const connectHost = deps.host === '0.0.0.0' || deps.host === '::' ? '127.0.0.1' : deps.host;

  return {
    async start() {
      if (aedes) return;
      const p = new SqliteBrokerPersistence(join(deps.dir, 'broker.db'));
      persistence = p;
      const auth = deps.auth;
      // aedes sends PUBACK before it queues a QoS 1 message: log it first (broker-persistence.ts).
      const logged = new WeakMap<object, number>();
      const broker = await Aedes.createBroker({
        persistence: p,
        authorizePublish: (client, packet, done) => {
          // aedes' default check, which a custom authorizePublish replaces
          if (packet.topic.startsWith('$SYS/')) return done(new Error('$SYS/ topic is reserved'));
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
        ...(auth
          ? {
              authenticate: (_client, username, password, done) => {
                const ok =
                  username !== undefined &&
                  sameSecret(username, auth.username) &&
                  sameSecret(password?.toString() ?? '', auth.password);
                if (ok) return done(null, true);
                const err = new Error('bad username or password') as AuthenticateError;
                err.returnCode = 4;
                done(err, null);
              },
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
      const srv = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        broker.handle(socket);
      });
      server = srv;
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen(deps.port, deps.host, () => {
            srv.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        await this.stop();
        const e = err as NodeJS.ErrnoException;
        throw new Error(
          `embedded MQTT broker cannot listen on ${deps.host}:${deps.port}: ${e.code ?? e.message}` +
            (e.code === 'EADDRINUSE'
              ? ' (another broker is running there: set mqtt.url to use it, or change mqtt.embedded.port)'
              : ''),
        );
      }
      const addr = srv.address();
      boundPort = addr && typeof addr === 'object' ? addr.port : deps.port;
      srv.on('error', (err) => log.error({ err }, 'embedded broker server error'));
      log.info({ host: deps.host, port: boundPort, dir: deps.dir }, 'embedded MQTT broker listening');
    },
    async stop() {
      const broker = aedes;
      const srv = server;
      aedes = null;
      server = null;
      if (srv) {
        await new Promise<void>((resolve) => {
          srv.close(() => resolve());
          for (const s of sockets) s.destroy();
        });
      }
      if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
      sockets.clear();
      await persistence?.destroy();
      persistence = null;
    },
    url: () => `mqtt://${connectHost.includes(':') ? `[${connectHost}]` : connectHost}:${boundPort}`,
    port: () => boundPort,
    health() {
      if (!aedes || !persistence) return { state: 'down', detail: 'embedded MQTT broker not running' };
      const queued = persistence.queuedCounts();
      return {
        state: 'ok',
        detail: `embedded MQTT broker on ${deps.host}:${boundPort}, ${aedes.connectedClients} client(s)`,
        data: { clients: aedes.connectedClients, queued },
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
