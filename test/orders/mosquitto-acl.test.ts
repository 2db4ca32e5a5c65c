// Real mosquitto with the documented store config (config/mosquitto/traycheck.conf and
// traycheck.acl, paths and ports swapped for temp ones) and the real orders stage logged in as
// the daemon: the same doors as the embedded broker's users and roles. Differences that are
// mosquitto's: a refused publish is acknowledged and dropped (not disconnected), and there is
// no login lockout (docs/mqtt.md says to use fail2ban on its log).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/daemon.js';
import { startMosquitto, stopAllMosquittos, type Mosquitto } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { placed, served } from '../helpers/pos.js';
import { waitFor } from '../helpers/wait.js';
import { grants, makeCert } from '../mqtt/harness.js';
import { removeDir, startStage, tempDataDir, type Stage } from './harness.js';

const PASSWORDS = {
  traycheck: 'daemon-secret',
  'pos-1': 'pos-secret',
  'kds-1': 'kds-secret',
  'observer-1': 'obs-secret',
};
type User = keyof typeof PASSWORDS;
const T = (kind: string): string => `traycheck/s1/${kind}`;

let broker: Mosquitto;
let stage: Stage;
let tlsPort: number;
let ca: Buffer;
const dirs: string[] = [];
const clients: mqtt.MqttClient[] = [];

/** The documented mosquitto.conf lines, with this test's paths and ports. */
function documentedConfig(dir: string, cert: string, key: string): string[] {
  const acl = join(dir, 'traycheck.acl');
  const aclText = readFileSync(join(ROOT, 'config', 'mosquitto', 'traycheck.acl'), 'utf8');
  writeFileSync(acl, aclText.replaceAll('store-042', 's1'));
  const out: string[] = [];
  for (const line of readFileSync(join(ROOT, 'config', 'mosquitto', 'traycheck.conf'), 'utf8').split('\n')) {
    const [k] = line.trim().split(/\s+/);
    if (!k || k.startsWith('#')) continue;
    // The helper writes its own plain listener, password file, anonymous and persistence lines.
    if (['password_file', 'allow_anonymous', 'persistence', 'max_queued_messages'].includes(k)) continue;
    if (line === 'listener 1883 127.0.0.1') continue;
    if (k === 'acl_file') out.push(`acl_file ${acl}`);
    else if (k === 'listener') out.push(`listener ${tlsPort} 127.0.0.1`);
    else if (k === 'certfile') out.push(`certfile ${cert}`);
    else if (k === 'keyfile') out.push(`keyfile ${key}`);
    else out.push(line);
  }
  return out;
}

beforeAll(async () => {
  const dir = tempDir('traycheck-mosquitto-acl-');
  dirs.push(dir);
  tlsPort = await freePort();
  const tls = makeCert(dir, '127.0.0.1');
  ca = tls.ca;
  broker = await startMosquitto({ users: PASSWORDS, extraConfig: documentedConfig(dir, tls.cert, tls.key) });
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  stage = await startStage({
    dataDir,
    mqtt: { url: broker.url, username: 'traycheck', password: PASSWORDS.traycheck, protocolVersion: 5 },
  });
  expect(await stage.orders.mqtt.whenReady(10_000)).toBe(true);
}, 60_000);
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
});
afterAll(async () => {
  await stage.stop();
  await stopAllMosquittos();
  for (const d of dirs) removeDir(d);
});

async function as(user: User | null, password?: string): Promise<mqtt.MqttClient> {
  const c = await mqtt.connectAsync(broker.url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    ...(user ? { username: user, password: password ?? PASSWORDS[user] } : {}),
  });
  clients.push(c);
  return c;
}

describe('mosquitto with the documented config', () => {
  it('refuses anonymous clients and wrong passwords', async () => {
    await expect(as(null)).rejects.toThrow(/Not authorized|Bad username/i);
    await expect(as('pos-1', 'wrong-password')).rejects.toThrow(/Not authorized|Bad username/i);
  });

  it('lets a pos user publish orders but not KDS events, and delivers it no alerts', async () => {
    const pos = await as('pos-1');
    await pos.publishAsync(T('pos'), placed('MQ1'), { qos: 1 });
    await waitFor(() => stage.orders.book.get('MQ1'), { message: 'order MQ1 in the book' });
    const heard: string[] = [];
    pos.on('message', (t) => heard.push(t));
    // mosquitto grants both (as 3.1.1 allows) and then delivers only what the ACL lets pos read.
    expect(await grants(pos, [T('alert'), 'traycheck/#'])).toEqual([1, 1]);
    const obs = await as('observer-1');
    const alerts: string[] = [];
    obs.on('message', (_t, p) => alerts.push(p.toString()));
    expect(await grants(obs, [T('alert')])).toEqual([1]);
    stage.orders.publishOutbound({ kind: 'alert', payload: { test: 'alert' } });
    await waitFor(() => alerts.length === 1, { message: 'alert at the observer' });
    // mosquitto acknowledges a refused publish and drops it; the KDS's own event, sent after
    // that acknowledgement, shows the daemon has seen everything that came before.
    await pos.publishAsync(T('pos'), placed('MQ1B'), { qos: 1 });
    await pos.publishAsync(T('kds'), served('MQ1'), { qos: 1 });
    const kds = await as('kds-1');
    await kds.publishAsync(T('kds'), served('MQ1B'), { qos: 1 });
    await waitFor(() => stage.orders.book.get('MQ1B')?.status === 'served', { message: 'MQ1B served' });
    expect(stage.orders.book.get('MQ1')?.status).not.toBe('served');
    expect(heard).not.toContain(T('alert'));
    expect(heard.filter((t) => t !== T('status') && t !== T('pos/rejected'))).toEqual([]);
  });

  it('lets an observer publish nothing', async () => {
    const obs = await as('observer-1');
    await obs.publishAsync(T('pos'), placed('MQOBS'), { qos: 1 });
    const pos = await as('pos-1');
    await pos.publishAsync(T('pos'), placed('MQ2'), { qos: 1 });
    await waitFor(() => stage.orders.book.get('MQ2'), { message: 'order MQ2 in the book' });
    expect(stage.orders.book.get('MQOBS')).toBeNull();
  });

  it('serves mqtts: a client trusting another CA is refused, the right one accepted', async () => {
    const other = makeCert(tempDir('traycheck-other-ca-'), '127.0.0.1');
    const url = `mqtts://127.0.0.1:${tlsPort}`;
    const opts = {
      protocolVersion: 4 as const,
      reconnectPeriod: 0,
      username: 'pos-1',
      password: PASSWORDS['pos-1'],
    };
    await expect(mqtt.connectAsync(url, { ...opts, ca: [other.ca] })).rejects.toThrow(
      /self[- ]signed|verify/i,
    );
    const tls = await mqtt.connectAsync(url, { ...opts, ca: [ca] });
    clients.push(tls);
    await tls.publishAsync(T('pos'), placed('MQTLS'), { qos: 1 });
    await waitFor(() => stage.orders.book.get('MQTLS'), { message: 'order over mqtts in the book' });
  });
});
