// The embedded broker on a LAN bind (127.0.0.2, which the config check treats as LAN: see
// harness.ts) in the real daemon: who may connect, what each role may publish and read, login
// throttling and TLS. One daemon for the file; each test uses its own clients and source addresses.
import type { ConnectionOptions } from 'node:tls';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { placed, served } from '../helpers/pos.js';
import { runCli, tempDir, writeConfig } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { cleanUp, MENU, MODEL, topic } from '../resilience/harness.js';
import {
  client,
  closed,
  connected,
  endClients,
  grants,
  LAN_HOST,
  login,
  makeCert,
  startSecuredDaemon,
  type SecuredDaemon,
} from './harness.js';

let d: SecuredDaemon;
beforeAll(async () => {
  d = await startSecuredDaemon();
}, 60_000);
afterEach(endClients);
afterAll(async () => {
  d.store.close();
  await cleanUp();
});

const orderStored = (id: string): boolean =>
  d.store.count('SELECT COUNT(*) AS n FROM orders WHERE order_id = ?', id) === 1;

/** A daemon config with no cameras and no dashboard: only its `mqtt` section varies. */
const lanDaemonConfig = (dir: string, mqtt: Record<string, unknown>): string =>
  writeConfig(dir, {
    store: { id: 's1', name: 'LAN' },
    cameras: [],
    detector: { model: MODEL },
    menu: MENU,
    dashboard: { enabled: false },
    storage: { dataDir: `${dir}/data` },
    mqtt,
  });

describe('embedded broker on a LAN address', () => {
  it('refuses to start without users: exit 78 naming the key and what to add', async () => {
    const dir = tempDir();
    const file = lanDaemonConfig(dir, { embedded: { host: LAN_HOST, port: 0 } });
    const run = runCli(['run', '--config', file]);
    const { code } = await run.exited;
    expect(code).toBe(78);
    const err = run.stderr.join('');
    expect(err).toMatch(
      /traycheck\.yaml:\d+\s+mqtt\.embedded\.host: .*accept anyone who can reach 127\.0\.0\.2/,
    );
    expect(err).toMatch(/mqtt\.users .*traycheck mqtt-user hash/);
  });

  it('refuses to start with an unreadable mqtts certificate: exit 78 naming the key', async () => {
    const dir = tempDir();
    const file = lanDaemonConfig(dir, {
      users: [{ username: 'pos-1', passwordHash: 'scrypt$16384$8$1$c2FsdA$a2V5', role: 'pos' }],
      embedded: {
        host: '127.0.0.1',
        port: 0,
        tls: { host: LAN_HOST, port: 0, certFile: `${dir}/missing.crt`, keyFile: `${dir}/missing.key` },
      },
    });
    const run = runCli(['run', '--config', file]);
    expect((await run.exited).code).toBe(78);
    expect(run.stderr.join('')).toMatch(
      /refusing to start \(mqtt\): mqtt\.embedded\.tls\.certFile: cannot read .*missing\.crt/,
    );
  });

  it('refuses anonymous clients and wrong passwords', async () => {
    await expect(connected(client(d.port))).rejects.toThrow(/Not authorized/i);
    await expect(connected(client(d.port, login('pos-1', 'wrong-password')))).rejects.toThrow(
      /Bad username or password/i,
    );
    await expect(connected(client(d.port, { ...login('pos-1'), username: 'nobody' }))).rejects.toThrow(
      /Bad username or password/i,
    );
  });

  it('lets a pos user publish orders but not KDS events, alerts or subscriptions beyond its own topics', async () => {
    const pos = client(d.port, login('pos-1'));
    await connected(pos);
    await pos.publishAsync(topic('pos'), placed('SEC1'), { qos: 1 });
    await waitFor(() => orderStored('SEC1'), { message: 'order SEC1 stored' });

    const heard: string[] = [];
    pos.on('message', (t) => heard.push(t));
    expect(await grants(pos, [topic('alert'), 'traycheck/#', '#', topic('verdict')])).toEqual([
      128, 128, 128, 128,
    ]);
    expect(await grants(pos, ['traycheck/s1/pos/rejected'], 0)).toEqual([0]);
    // An alert reaches an observer but not the POS that tried to subscribe to everything.
    const obs = client(d.port, login('obs-1'));
    await connected(obs);
    const alerts: string[] = [];
    obs.on('message', (_t, p) => alerts.push(p.toString()));
    expect(await grants(obs, [topic('alert')])).toEqual([1]);
    const hq = client(d.port, login('hq-1'));
    await connected(hq);
    await hq.publishAsync(topic('alert'), '{"test":"alert"}', { qos: 1 });
    await waitFor(() => alerts.length === 1, { message: 'alert at the observer' });

    // A KDS event from a POS: the broker drops the connection, the order is not marked served.
    const cut = closed(pos);
    pos.publish(topic('kds'), served('SEC1'), { qos: 1 });
    await cut;
    // A later order from an honest client proves the daemon kept working while the refusal was handled.
    const pos2 = client(d.port, login('pos-2'));
    await connected(pos2);
    await pos2.publishAsync(topic('pos'), placed('SEC2'), { qos: 1 });
    await waitFor(() => orderStored('SEC2'), { message: 'order SEC2 stored' });
    expect(
      d.store.count("SELECT COUNT(*) AS n FROM orders WHERE order_id = 'SEC1' AND status = 'served'"),
    ).toBe(0);
    expect(heard).toEqual([]);
    const refused = (await d.health()).refused as Record<string, number>;
    expect(refused.subscribeRefused).toBe(4);
    expect(refused.publishRefused).toBeGreaterThanOrEqual(1);
  });

  it('lets an observer read status, verdicts and alerts but publish nothing', async () => {
    const obs = client(d.port, login('obs-1'));
    await connected(obs);
    const got: Array<[string, string]> = [];
    obs.on('message', (t, p) => got.push([t, p.toString()]));
    expect(
      await grants(obs, [
        topic('alert'),
        topic('verdict'),
        'traycheck/s1/status',
        'traycheck/s1/camera/+/status',
        'traycheck/s1/pos',
      ]),
    ).toEqual([1, 1, 1, 1, 128]);
    await waitFor(() => got.find(([t, p]) => t === 'traycheck/s1/status' && p === 'online'), {
      message: 'retained online status',
    });
    const cut = closed(obs);
    obs.publish(topic('pos'), placed('OBS1'), { qos: 1 });
    await cut;
    const kds = client(d.port, login('kds-1'));
    await connected(kds);
    await kds.publishAsync(topic('kds'), served('SEC2'), { qos: 1 });
    await waitFor(
      () =>
        d.store.count("SELECT COUNT(*) AS n FROM orders WHERE order_id = 'SEC2' AND status = 'served'") === 1,
      { message: 'SEC2 served by the KDS' },
    );
    expect(orderStored('OBS1')).toBe(false);
  });

  it('locks out an address after 5 wrong passwords, even for the right one, while other addresses log in', async () => {
    const from = '127.0.0.5';
    for (let i = 0; i < 5; i++)
      await expect(connected(client(d.port, { ...login('kds-1', `guess-${i}`), from }))).rejects.toThrow(
        /Bad username or password/i,
      );
    await expect(connected(client(d.port, { ...login('kds-1'), from }))).rejects.toThrow(/Not authorized/i);
    await connected(client(d.port, { ...login('kds-1'), from: '127.0.0.6' }));
    const refused = (await d.health()).refused as Record<string, number>;
    expect(refused.lockouts).toBeGreaterThanOrEqual(1);
    expect(refused.loginsThrottled).toBeGreaterThanOrEqual(1);
    expect(refused.lockedOutAddresses).toBeGreaterThanOrEqual(1);
  });

  it('serves mqtts with the configured certificate: a client trusting another CA is refused', async () => {
    const other = makeCert(tempDir('traycheck-other-ca-'));
    expect(other.fingerprint).not.toBe(d.fingerprint);
    const url = `mqtts://${LAN_HOST}:${d.tlsPort}`;
    const opts = { protocolVersion: 4 as const, reconnectPeriod: 0, ...login('pos-1') };
    await expect(mqtt.connectAsync(url, { ...opts, ca: [other.ca] })).rejects.toThrow(
      /self[- ]signed|verify/i,
    );
    // Pinning by fingerprint, as the POS installer is told to: the wrong pin is refused.
    // mqtt.js hands its options to tls.connect, checkServerIdentity included.
    // mqtt.js hands its options to tls.connect, checkServerIdentity included.
    const pinned = (fingerprint: string): mqtt.IClientOptions => {
      const pin: Pick<ConnectionOptions, 'checkServerIdentity'> = {
        checkServerIdentity: (_host, cert) =>
          cert.fingerprint256 === fingerprint
            ? undefined
            : new Error(`fingerprint ${cert.fingerprint256} not pinned`),
      };
      return Object.assign({ ...opts, ca: [d.ca] }, pin);
    };
    await expect(mqtt.connectAsync(url, pinned(other.fingerprint))).rejects.toThrow(/not pinned/);
    const tls = await mqtt.connectAsync(url, pinned(d.fingerprint));
    try {
      await tls.publishAsync(topic('pos'), placed('TLS1'), { qos: 1 });
      await waitFor(() => orderStored('TLS1'), { message: 'order over mqtts stored' });
    } finally {
      await tls.endAsync();
    }
    const health = await d.health();
    expect(health.tls).toEqual({ port: d.tlsPort, fingerprint: d.fingerprint });
  });
});
