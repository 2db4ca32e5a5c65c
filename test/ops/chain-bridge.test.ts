// A chain of stores on real brokers: a head office mosquitto (TLS listener, a user per store, the
// shipped hq.conf listener and hq.acl), one mosquitto per store bridged to it with the shipped
// bridge-hq.conf (only host, CA, store id and password filled in), and a `traycheck demo` per store
// (three stores, dashboards off) publishing its verdicts to its own broker. Head office receives every store's verdicts, with
// none lost while it is down (QoS 1, persistent bridge sessions); fleet announcements come down
// to every store; a store cannot write another store's topics.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli, type DaemonProc } from '../helpers/daemon.js';
import { startMosquitto, stopAllMosquittos, type Mosquitto } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const STORES = ['store-a', 'store-b', 'store-c'];
const password = (user: string): string => `pw-${user}`;
const dir = mkdtempSync(join(tmpdir(), 'traycheck-chain-'));
let hq: Mosquitto;
let tlsPort: number;
const storeBrokers = new Map<string, Mosquitto>();
const daemons: DaemonProc[] = [];
const clients: MqttClient[] = [];
/** Verdict payloads as each store's broker saw them, and as head office received them. */
const sent = new Map<string, string[]>(STORES.map((s) => [s, []]));
const received = new Map<string, string[]>(STORES.map((s) => [s, []]));

/** hq.conf's lines with this test's paths and port; the lines the helper writes itself left out. */
function hqConfigLines(): string[] {
  const written = /^(per_listener_settings|allow_anonymous|password_file|persistence|max_queued_messages)\b/;
  return readFileSync(join(ROOT, 'config', 'mosquitto', 'hq.conf'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#') && !written.test(l))
    .map((l) =>
      l
        .replace(/^acl_file .*/, `acl_file ${join(ROOT, 'config', 'mosquitto', 'hq.acl')}`)
        .replace(/^listener 8883$/, `listener ${tlsPort} 127.0.0.1`)
        .replace(/^certfile .*/, `certfile ${join(dir, 'mqtt.crt')}`)
        .replace(/^keyfile .*/, `keyfile ${join(dir, 'mqtt.key')}`),
    );
}

/** bridge-hq.conf as shipped, with head office's address, CA and this store's credentials. */
function bridgeLines(store: string): string[] {
  return readFileSync(join(ROOT, 'config', 'mosquitto', 'bridge-hq.conf'), 'utf8')
    .replaceAll('HEAD-OFFICE-HOST:8883', `127.0.0.1:${tlsPort}`)
    .replaceAll('/etc/mosquitto/certs/hq-ca.crt', join(dir, 'mqtt.crt'))
    .replaceAll('HEAD-OFFICE-PASSWORD', password(store))
    .replaceAll('STORE-ID', store)
    .split('\n');
}

function client(url: string, opts: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const c = mqtt.connect(url, { reconnectPeriod: 200, ...opts });
  clients.push(c);
  return new Promise((resolve, reject) => {
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

beforeAll(async () => {
  execFileSync(process.execPath, [CLI, 'mqtt-cert', '--out', dir, '--name', '127.0.0.1']);
  tlsPort = await freePort();
  const users = Object.fromEntries([...STORES, 'hq-analytics', 'hq-fleet'].map((u) => [u, password(u)]));
  hq = await startMosquitto({ users, extraConfig: hqConfigLines() });
  // Head office's consumer: persistent session, so it loses nothing across head office restarts.
  const consumer = await client(hq.url, {
    username: 'hq-analytics',
    password: password('hq-analytics'),
    clientId: 'hq-analytics-test',
    clean: false,
  });
  consumer.on('message', (topic, payload) => {
    const store = topic.split('/')[1] ?? '';
    received.get(store)?.push(payload.toString());
  });
  await consumer.subscribeAsync('traycheck/+/verdict', { qos: 1 });

  const demo = parse(readFileSync(join(ROOT, 'config', 'demo.yaml'), 'utf8')) as Record<string, unknown>;
  for (const [i, store] of STORES.entries()) {
    const broker = await startMosquitto({ extraConfig: bridgeLines(store) });
    storeBrokers.set(store, broker);
    const local = await client(broker.url, { clientId: `observer-${store}` });
    local.on('message', (topic, payload) => {
      if (topic.endsWith('/verdict')) sent.get(store)?.push(payload.toString());
    });
    await local.subscribeAsync(`traycheck/${store}/verdict`, { qos: 1 });
    const config = {
      ...demo,
      store: { id: store, name: store },
      detector: { ...(demo.detector as object), model: join(ROOT, 'models', 'traycheck-det.onnx') },
      mqtt: { url: broker.url },
      // Off: nothing here reads it, and fastify is a third of a daemon's start-up CPU.
      dashboard: { enabled: false },
      storage: { dataDir: join(dir, store) },
      logging: { level: 'warn' },
    };
    const file = join(dir, `${store}.yaml`);
    writeFileSync(file, stringify(config));
    daemons.push(runCli(['demo', '--config', file, '--seed', String(100 + i), '--error-rate', '0.3']));
  }
});

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop()));
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await stopAllMosquittos();
  rmSync(dir, { recursive: true, force: true });
});

const total = (m: Map<string, string[]>): number => [...m.values()].reduce((n, l) => n + l.length, 0);

describe('chain of stores over mosquitto bridges', () => {
  it('head office gets every verdict of every store, none lost while it is down', async () => {
    await waitFor(() => STORES.every((s) => (received.get(s)?.length ?? 0) >= 1), {
      timeoutMs: 45_000,
      message: `a verdict of every store at head office (sent ${total(sent)}, received ${total(received)}; daemon output: ${daemons.map((d) => d.stderr.join('').slice(-300) + JSON.stringify(d.lines.slice(-3))).join(' | ')})`,
    });

    // Head office goes away (a clean stop: it saves its state); the stores keep publishing.
    const before = total(sent);
    process.kill(hq.pid() as number, 'SIGTERM');
    await waitFor(() => total(sent) >= before + 2, {
      timeoutMs: 30_000,
      message: 'two verdicts published by the stores while head office is down',
    });
    await hq.restart();

    // Everything published so far arrives, exactly as sent, in each store's order.
    const snapshot = new Map([...sent].map(([s, l]) => [s, [...l]]));
    await waitFor(
      () => STORES.every((s) => (snapshot.get(s) ?? []).every((p) => received.get(s)?.includes(p))),
      { timeoutMs: 30_000, message: 'every verdict sent before the cut-off at head office' },
    );
    for (const s of STORES) {
      const got = received.get(s) ?? [];
      const want = snapshot.get(s) ?? [];
      expect(got.slice(0, want.length), s).toEqual(want);
      for (const p of got) expect((JSON.parse(p) as { trayId: string }).trayId).toBeTruthy();
    }
    // The waits above bound it (45 + 30 + 30 s) and say which step failed; 22-42 s seen at load 9-14.
  }, 110_000);

  it('fleet announcements come down to every store; a store cannot write another store', async () => {
    const heard = new Map<string, string>();
    for (const [store, broker] of storeBrokers) {
      const c = await client(broker.url, { clientId: `fleet-${store}` });
      c.on('message', (_t, p) => heard.set(store, p.toString()));
      await c.subscribeAsync('traycheck/fleet/#', { qos: 1 });
    }
    const fleet = await client(hq.url, { username: 'hq-fleet', password: password('hq-fleet') });
    const announcement = JSON.stringify({ model: 'traycheck-det', version: '2.0.1' });
    await fleet.publishAsync('traycheck/fleet/model', announcement, { qos: 1, retain: true });
    await waitFor(() => STORES.every((s) => heard.get(s) === announcement), {
      timeoutMs: 15_000,
      message: 'the model announcement at every store',
    });

    // store-a's credentials: its own topic passes, store-b's is dropped by head office's ACL.
    // Same connection, so the allowed one arriving means the forbidden one was already refused.
    const rogue = await client(hq.url, { username: 'store-a', password: password('store-a') });
    const forged = JSON.stringify({ trayId: 'forged' });
    const own = JSON.stringify({ trayId: 'own' });
    await rogue.publishAsync('traycheck/store-b/verdict', forged, { qos: 1 });
    await rogue.publishAsync('traycheck/store-a/verdict', own, { qos: 1 });
    await waitFor(() => received.get('store-a')?.includes(own), { message: 'store-a own message' });
    expect(received.get('store-b')).not.toContain(forged);
  });
});
