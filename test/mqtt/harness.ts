// A real daemon (`traycheck run`, compiled) whose embedded broker listens on 127.0.0.2. That is a
// loopback address, but the config check only lets 127.0.0.1, ::1 and localhost go without
// users (LOOPBACK_HOSTS in src/config/mqtt-checks.ts), so to the daemon it is a LAN bind: users,
// ACLs, TLS and limits are all in force, exactly as on a store network. Clients choose their
// source address (127.0.0.x) so per-address limits can be exercised from one machine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { hashPassword } from '../../src/auth/passwords.js';
import { CLI } from '../helpers/daemon.js';
import { freePort } from '../helpers/ports.js';
import { daemonSetup, openStore, scratchDir, startDaemon, type StoreView } from '../resilience/harness.js';
import type { DaemonProc } from '../helpers/daemon.js';

export const LAN_HOST = '127.0.0.2';
export const PASSWORDS = {
  'pos-1': 'pos-1-secret',
  'pos-2': 'pos-2-secret',
  'kds-1': 'kds-1-secret',
  'obs-1': 'obs-1-secret',
  'hq-1': 'hq-1-secret',
};
export type TestUser = keyof typeof PASSWORDS;
const ROLES: Record<TestUser, string> = {
  'pos-1': 'pos',
  'pos-2': 'pos',
  'kds-1': 'kds',
  'obs-1': 'observer',
  'hq-1': 'daemon',
};

/** `traycheck mqtt-cert` into `dir`: the pair and the fingerprint it printed. */
export function makeCert(
  dir: string,
  name = LAN_HOST,
): { cert: string; key: string; ca: Buffer; fingerprint: string } {
  const out = execFileSync(process.execPath, [CLI, 'mqtt-cert', '--out', dir, '--name', name], {
    encoding: 'utf8',
  });
  const fingerprint = /SHA-256 fingerprint: ([0-9A-F:]+)/.exec(out)?.[1] ?? '';
  const cert = join(dir, 'mqtt.crt');
  return { cert, key: join(dir, 'mqtt.key'), ca: readFileSync(cert), fingerprint };
}

export interface SecuredDaemon {
  daemon: DaemonProc;
  port: number;
  tlsPort: number;
  dashboardPort: number;
  ca: Buffer;
  fingerprint: string;
  store: StoreView;
  health(): Promise<Record<string, unknown>>;
}

export async function startSecuredDaemon(
  embedded: Record<string, unknown> = {},
  orders: Record<string, unknown> = {},
): Promise<SecuredDaemon> {
  const [port, tlsPort, dashboardPort] = [await freePort(), await freePort(), await freePort()];
  const tls = makeCert(scratchDir('traycheck-cert-'));
  const users = await Promise.all(
    (Object.keys(PASSWORDS) as TestUser[]).map(async (u) => ({
      username: u,
      passwordHash: await hashPassword(PASSWORDS[u]),
      role: ROLES[u],
    })),
  );
  const setup = daemonSetup({
    orders,
    dashboard: { enabled: true, bind: '127.0.0.1', port: dashboardPort },
    mqtt: {
      users,
      embedded: {
        host: LAN_HOST,
        port,
        tls: { host: LAN_HOST, port: tlsPort, certFile: tls.cert, keyFile: tls.key },
        ...embedded,
      },
    },
  });
  const daemon = await startDaemon(setup.configFile);
  const store = openStore(join(setup.dataDir, 'traycheck.db'));
  return {
    daemon,
    port,
    tlsPort,
    dashboardPort,
    ca: tls.ca,
    fingerprint: tls.fingerprint,
    store,
    async health() {
      const res = await fetch(`http://127.0.0.1:${dashboardPort}/api/health`);
      const body = (await res.json()) as { components: Record<string, { data?: { broker?: unknown } }> };
      return body.components.broker?.data?.broker as Record<string, unknown>;
    },
  };
}

const clients: mqtt.MqttClient[] = [];

export interface ConnectOptions extends mqtt.IClientOptions {
  /** Source address of the TCP connection (127.0.0.x). */
  from?: string;
}

/** An MQTT 3.1.1 client to the secured broker that does not reconnect by itself; ended by endClients(). */
export function client(port: number, opts: ConnectOptions = {}): mqtt.MqttClient {
  const { from, ...rest } = opts;
  const c = new mqtt.MqttClient(
    () => netConnect({ host: LAN_HOST, port, ...(from ? { localAddress: from } : {}) }),
    { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...rest },
  );
  c.on('error', () => undefined);
  clients.push(c);
  return c;
}

/** Resolves with the CONNACK, or rejects with the broker's refusal. */
export function connected(c: mqtt.MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
    c.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

export const login = (user: TestUser, password = PASSWORDS[user]): mqtt.IClientOptions => ({
  username: user,
  password,
  clientId: `${user}-${Math.random().toString(36).slice(2, 8)}`,
});

/** Resolves when the client's connection closes (the broker cut it off). */
export const closed = (c: mqtt.MqttClient): Promise<void> =>
  new Promise((resolve) => (c.connected || c.reconnecting ? c.once('close', () => resolve()) : resolve()));

export async function endClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
}

/** The SUBACK return codes for `filters` (128: refused); mqtt.js rejects when any is refused. */
export async function grants(c: mqtt.MqttClient, filters: string[], qos: 0 | 1 = 1): Promise<number[]> {
  try {
    return (await c.subscribeAsync(filters, { qos })).map((g) => g.qos);
  } catch (err) {
    const granted = (err as { packet?: { granted?: number[] } }).packet?.granted;
    if (!granted) throw err;
    return granted;
  }
}
