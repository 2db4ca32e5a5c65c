// The embedded aedes broker (the default without mqtt.url) and its on-disk persistence.
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { silentLogger } from '../../src/log.js';
import { createEmbeddedBroker, type EmbeddedBroker } from '../../src/mqtt/broker.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import {
  mqttConfig,
  placed,
  posClient,
  removeDir,
  startStage,
  tempDataDir,
  type Stage,
} from '../orders/harness.js';

const clients: mqtt.MqttClient[] = [];
const stages: Stage[] = [];
const brokers: EmbeddedBroker[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  await Promise.all(stages.splice(0).map((s) => s.stop()));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
  for (const d of dirs.splice(0)) removeDir(d);
});

const newDir = (): string => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
const broker = async (
  dir: string,
  port = 0,
  auth?: { username: string; password: string },
): Promise<EmbeddedBroker> => {
  const b = createEmbeddedBroker({
    config: mqttConfig({ embedded: { host: '127.0.0.1', port } }).embedded,
    users: [],
    base: 'traycheck/s1',
    dir,
    log: silentLogger(),
    ...(auth ? { daemonLogin: auth } : {}),
  });
  brokers.push(b);
  await b.start();
  return b;
};
const client = async (url: string, opts: mqtt.IClientOptions): Promise<mqtt.MqttClient> => {
  const c = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...opts });
  clients.push(c);
  return c;
};

describe('embedded broker', () => {
  it('is started by the orders stage when mqtt.url is unset, and orders flow through it', async () => {
    const dir = newDir();
    const s = await startStage({ dataDir: dir, mqtt: { embedded: { host: '127.0.0.1', port: 0 } } });
    stages.push(s);
    expect(s.orders.broker).not.toBeNull();
    expect(await s.orders.mqtt.whenReady(10_000)).toBe(true);
    const url = s.orders.broker?.url() ?? '';
    expect(url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const p = await posClient(url);
    clients.push(p);
    await p.publishAsync('traycheck/s1/pos', placed('E1'), { qos: 1 });
    await p.publishAsync('traycheck/s1/kds', JSON.stringify({ type: 'order.served', orderId: 'E1' }), {
      qos: 1,
    });
    await waitFor(() => s.orders.book.get('E1')?.status === 'served', { message: 'order E1 served' });
    expect(s.orders.health()).toMatchObject({ state: 'ok' });
    expect(s.orders.mqtt.stats().sessionPresent).toBe(false);
  });

  it('keeps a QoS 1 message for a disconnected persistent client across a broker restart', async () => {
    const dir = newDir();
    const port = await freePort();
    const b1 = await broker(dir, port);
    const keeper = await client(b1.url(), { clientId: 'keeper', clean: false });
    await keeper.subscribeAsync('shop/pos', { qos: 1 });
    await keeper.endAsync();
    const pub = await client(b1.url(), { clientId: 'pub', clean: true });
    await pub.publishAsync('shop/pos', 'kept-1', { qos: 1 });
    await pub.publishAsync('shop/pos', 'kept-2', { qos: 1 });
    await pub.publishAsync('shop/status', 'online', { qos: 1, retain: true });
    await pub.endAsync();
    await b1.stop();

    const b2 = await broker(dir, port);
    const got: string[] = [];
    const again = mqtt.connect(b2.url(), {
      clientId: 'keeper',
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    clients.push(again);
    again.on('message', (_t, payload) => got.push(payload.toString()));
    const connack = await new Promise<mqtt.IConnackPacket>((resolve) => again.once('connect', resolve));
    expect(connack.sessionPresent).toBe(true);
    await waitFor(() => got.length === 2, { message: 'queued messages after the broker restart' });
    expect(got).toEqual(['kept-1', 'kept-2']);

    const retained: string[] = [];
    const late = await client(b2.url(), { clientId: 'late', clean: true });
    late.on('message', (_t, payload) => retained.push(payload.toString()));
    await late.subscribeAsync('shop/status', { qos: 1 });
    await waitFor(() => retained.length === 1, { message: 'retained message after restart' });
    expect(retained).toEqual(['online']);
  });

  it('does not redeliver acknowledged messages after a restart', async () => {
    const dir = newDir();
    const port = await freePort();
    const b1 = await broker(dir, port);
    const sub = await client(b1.url(), { clientId: 'acker', clean: false });
    const got: string[] = [];
    sub.on('message', (_t, p) => got.push(p.toString()));
    await sub.subscribeAsync('x/y', { qos: 1 });
    const pub = await client(b1.url(), { clientId: 'pub2', clean: true });
    for (let i = 0; i < 20; i++) await pub.publishAsync('x/y', `m${i}`, { qos: 1 });
    await waitFor(() => got.length === 20, { message: '20 live messages' });
    await sub.endAsync();
    await b1.stop();
    const b2 = await broker(dir, port);
    const again = mqtt.connect(b2.url(), {
      clientId: 'acker',
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    clients.push(again);
    const redelivered: string[] = [];
    again.on('message', (_t, p) => redelivered.push(p.toString()));
    await new Promise((resolve) => again.once('connect', resolve));
    const pub2 = await client(b2.url(), { clientId: 'pub3', clean: true });
    await pub2.publishAsync('x/y', 'fresh', { qos: 1 });
    await waitFor(() => redelivered.includes('fresh'), { message: 'fresh message' });
    expect(redelivered).toEqual(['fresh']);
  });

  it('refuses clients without the configured credentials and reports a busy port', async () => {
    const dir = newDir();
    const b = await broker(dir, 0, { username: 'traycheck', password: 'pw' });
    await expect(
      mqtt.connectAsync(b.url(), {
        protocolVersion: 4,
        reconnectPeriod: 0,
        username: 'traycheck',
        password: 'nope',
      }),
    ).rejects.toThrow(/Bad username or password|Not authorized/i);
    const ok = await client(b.url(), { username: 'traycheck', password: 'pw' });
    expect(ok.connected).toBe(true);
    const clash = createEmbeddedBroker({
      config: mqttConfig({ embedded: { host: '127.0.0.1', port: b.port() } }).embedded,
      users: [],
      base: 'traycheck/s1',
      dir: newDir(),
      log: silentLogger(),
    });
    await expect(clash.start()).rejects.toThrow(/EADDRINUSE.*mqtt\.url/);
  });
});
