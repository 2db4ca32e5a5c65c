// The embedded broker's doors: who may log in (scrypt-hashed users from mqtt.users, plus the
// daemon's own in-memory login), what each role may publish and read, and per-address login
// throttling. Every refusal is logged and counted; nothing refused is delivered. Without users
// (loopback only, enforced by the config check) every client may do everything, as before.
import { timingSafeEqual } from 'node:crypto';
import type { AedesOptions, AuthenticateError, Client, PublishPacket } from 'aedes';
import type { MqttConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import { canPublish, canRead, canSubscribe, roleTopics, type MqttRole, type RoleTopics } from './acl.js';
import { createLoginThrottle } from './login-throttle.js';
import { createPasswordChecks } from './password-checks.js';

export interface BrokerAccessDeps {
  /** `<prefix>/<store>`: the roles' topics live below it. */
  base: string;
  users: MqttConfig['users'];
  /** The daemon's own connection (kept in memory, never in the config). */
  daemonLogin?: { username: string; password: string };
  loginFailuresPerMinute: number;
  lockoutMs: number;
  addressOf(client: Client): string;
  /** True once the client's side of the connection has ended (it will not read a CONNACK). */
  peerGone(client: Client): boolean;
  log: Logger;
  now: () => number;
}

export interface AccessCounters {
  loginsRefused: number;
  /** Logins refused without a password check because their address is locked out. */
  loginsThrottled: number;
  lockouts: number;
  publishRefused: number;
  subscribeRefused: number;
  /** Messages not delivered to a client whose role may not read them (a session from before the ACL). */
  deliveriesRefused: number;
  /** Logins refused because too many password checks were queued. */
  loginsBusy: number;
}

export interface BrokerAccess {
  /** True when clients must log in. */
  required: boolean;
  authenticate: NonNullable<AedesOptions['authenticate']>;
  /** Null when `client` may publish `packet` (null client: the broker itself), else why not. */
  publishRefusal(client: Client | null, packet: PublishPacket): string | null;
  authorizeSubscribe: NonNullable<AedesOptions['authorizeSubscribe']>;
  authorizeForward: NonNullable<AedesOptions['authorizeForward']>;
  counters(): AccessCounters & { lockedOutAddresses: number };
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

// 3 server unavailable, 4 bad username or password, 5 not authorized (MQTT 3.1.1 CONNACK codes).
const refusal = (returnCode: 3 | 4 | 5, message: string): AuthenticateError => {
  const err = new Error(message) as Error & { returnCode: number };
  err.returnCode = returnCode;
  return err;
};

export function createBrokerAccess(deps: BrokerAccessDeps): BrokerAccess {
  const { log, now } = deps;
  const required = deps.users.length > 0 || deps.daemonLogin !== undefined;
  const topicsOf = new Map<MqttRole, RoleTopics>(
    (['pos', 'kds', 'observer', 'daemon'] as const).map((r) => [r, roleTopics(r, deps.base)]),
  );
  const daemon = topicsOf.get('daemon') as RoleTopics;
  const logins = new WeakMap<Client, { username: string; role: MqttRole }>();
  const throttle = createLoginThrottle({
    failuresPerMinute: deps.loginFailuresPerMinute,
    lockoutMs: deps.lockoutMs,
  });
  const counters: AccessCounters = {
    loginsRefused: 0,
    loginsThrottled: 0,
    lockouts: 0,
    publishRefused: 0,
    subscribeRefused: 0,
    deliveriesRefused: 0,
    loginsBusy: 0,
  };
  // Two of libuv's four threads: the rest stay free for SQLite backups, file I/O and TLS.
  const checks = createPasswordChecks({ concurrency: 2, maxWaiting: 64, maxPerAddress: 2 });
  const who = (client: Client): { clientId: string; user: string | null; role: MqttRole | null } => {
    const login = logins.get(client);
    return { clientId: client.id, user: login?.username ?? null, role: login?.role ?? null };
  };
  // Not logged in while required cannot happen (aedes refuses the CONNECT); read nothing then.
  const topicsFor = (client: Client): RoleTopics | null => {
    if (!required) return daemon;
    const role = logins.get(client)?.role;
    return role ? (topicsOf.get(role) ?? null) : null;
  };

  return {
    required,
    authenticate(client, username, password, done) {
      const address = deps.addressOf(client);
      if (throttle.lockedUntil(address, now()) !== null) {
        counters.loginsThrottled++;
        return done(refusal(5, 'too many failed logins from this address'), null);
      }
      const secret = password?.toString('utf8') ?? '';
      const internal = deps.daemonLogin;
      if (internal && username !== undefined && sameSecret(username, internal.username)) {
        if (sameSecret(secret, internal.password)) {
          logins.set(client, { username, role: 'daemon' });
          return done(null, true);
        }
      }
      const user = username === undefined ? undefined : deps.users.find((u) => u.username === username);
      const refuse = (): void => {
        counters.loginsRefused++;
        const lockedOut = throttle.failed(address, now());
        if (lockedOut) counters.lockouts++;
        log.warn(
          { clientId: client.id, user: username ?? null, address, lockedOut },
          username === undefined
            ? 'anonymous MQTT login refused'
            : 'MQTT login refused: bad username or password',
        );
        done(refusal(username === undefined ? 5 : 4, 'bad username or password'), null);
      };
      if (username === undefined) return refuse();
      checks
        .check(username, user?.passwordHash ?? null, secret, {
          address,
          stillWanted: () => !client.closed && !deps.peerGone(client),
        })
        .then(
          (result) => {
            if (result === 'ok' && user) {
              logins.set(client, { username: user.username, role: user.role });
              log.info({ clientId: client.id, user: user.username, role: user.role, address }, 'MQTT login');
              return done(null, true);
            }
            if (result === 'gone') return done(refusal(3, 'client left'), null);
            if (result === 'busy') {
              counters.loginsBusy++;
              return done(refusal(3, 'too many logins at once'), null);
            }
            refuse();
          },
          (err: unknown) => {
            log.error({ err }, 'MQTT password check failed');
            done(refusal(3, 'server unavailable'), null);
          },
        );
    },
    publishRefusal(client, packet) {
      if (!client) return null;
      const rt = topicsFor(client);
      if (rt && canPublish(rt, packet.topic)) return null;
      counters.publishRefused++;
      log.warn({ ...who(client), topic: packet.topic }, 'MQTT publish refused by the ACL; disconnecting');
      return `not allowed to publish to ${packet.topic}`;
    },
    authorizeSubscribe(client, sub, done) {
      const rt = topicsFor(client);
      if (rt && canSubscribe(rt, sub.topic)) return done(null, sub);
      counters.subscribeRefused++;
      log.warn({ ...who(client), filter: sub.topic }, 'MQTT subscription refused by the ACL');
      done(null, null);
    },
    authorizeForward(client, packet) {
      const rt = topicsFor(client);
      if (rt && canRead(rt, packet.topic)) return packet;
      counters.deliveriesRefused++;
      log.debug({ ...who(client), topic: packet.topic }, 'MQTT delivery refused by the ACL');
      return null;
    },
    counters: () => ({ ...counters, lockedOutAddresses: throttle.lockedCount(now()) }),
  };
}
