// The orders stage against a real mosquitto (MQTT 5, persistent session).
import { afterEach, describe, expect, it } from 'vitest';
import type mqtt from 'mqtt';
import { nextBackoffMs } from '../../src/mqtt/options.js';
import { startMosquitto, stopAllMosquittos } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { placed, posClient, removeDir, startStage, tempDataDir, type Stage } from './harness.js';

const clients: mqtt.MqttClient[] = [];
const stages: Stage[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  await Promise.all(stages.splice(0).map((s) => s.stop()));
  await stopAllMosquittos();
  for (const d of dirs.splice(0)) removeDir(d);
});

const stage = async (
  url: string,
  dataDir: string,
  mqttOver: Record<string, unknown> = {},
  startWaitMs?: number,
): Promise<Stage> => {
  const s = await startStage({
    dataDir,
    mqtt: { url, reconnectMinMs: 100, reconnectMaxMs: 1000, ...mqttOver },
    ...(startWaitMs ? { startWaitMs } : {}),
  });
  stages.push(s);
  return s;
};
const pos = async (url: string, id?: string): Promise<mqtt.MqttClient> => {
  const c = await posClient(url, id);
  clients.push(c);
  return c;
};
const newDir = (): string => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};

describe('orders over a real mosquitto', () => {
  it('stores orders, emits them, publishes status and echoes rejections', async () => {
    const broker = await startMosquitto();
    const s = await stage(broker.url, newDir());
    expect(await s.orders.mqtt.whenReady(10_000)).toBe(true);
    const seen: string[] = [];
    s.bus.on('order', 'test', (o) => void seen.push(`${o.orderId}:${o.status}`));
    const watcher = await pos(broker.url);
    const echoes: string[] = [];
    const status: string[] = [];
    watcher.on('message', (topic, payload) =>
      (topic.endsWith('/status') ? status : echoes).push(payload.toString()),
    );
    await watcher.subscribeAsync(['traycheck/s1/pos/rejected', 'traycheck/s1/status'], { qos: 1 });
    await waitFor(() => status.includes('online'), { message: 'retained online status' });

    const p = await pos(broker.url);
    await p.publishAsync('traycheck/s1/pos', placed('1001', { placedAt: '2025-03-01T12:00:00Z' }), {
      qos: 1,
    });
    await p.publishAsync(
      'traycheck/s1/kds',
      JSON.stringify({ type: 'order.ready', orderId: '1001', station: 'expo' }),
      { qos: 1 },
    );
    await p.publishAsync(
      'traycheck/s1/pos',
      JSON.stringify({ type: 'order.placed', orderId: '1002', items: [{ sku: 'COMBO1', qty: -1 }] }),
      { qos: 1 },
    );
    await waitFor(() => s.orders.book.get('1001')?.status === 'ready', { message: 'order 1001 ready' });
    await waitFor(() => echoes.length === 1, { message: 'rejection echo' });
    expect(JSON.parse(echoes[0] ?? '{}')).toMatchObject({
      reason: 'items[0].qty: expected integer 1..100, got -1',
      topic: 'traycheck/s1/pos',
    });
    expect(seen).toEqual(['1001:open', '1001:ready']);
    expect(s.count('SELECT COUNT(*) AS n FROM rejected_messages')).toBe(1);
    expect(s.orders.counters().rejected.byReason).toEqual({ 'items[].qty': 1 });
    expect(s.orders.mqtt.status()).toEqual({ connected: true, url: broker.url, error: null });
    expect(s.orders.health().state).toBe('ok');

    await s.stop();
    await waitFor(() => status.at(-1) === 'offline', { message: 'offline status on a clean stop' });
  });

  it('keeps what the POS publishes while traycheck is stopped (200 orders, QoS 1)', async () => {
    const broker = await startMosquitto();
    const dir = newDir();
    const first = await stage(broker.url, dir);
    expect(await first.orders.mqtt.whenReady(10_000)).toBe(true);
    await first.stop();

    const p = await pos(broker.url);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => p.publishAsync('traycheck/s1/pos', placed(`A${i}`), { qos: 1 })),
    );

    const second = await stage(broker.url, dir);
    await waitFor(() => second.count('SELECT COUNT(*) AS n FROM orders') === 200, {
      timeoutMs: 20_000,
      message: '200 orders after restart',
    });
    expect(second.orders.mqtt.stats().sessionPresent).toBe(true);
    expect(second.count('SELECT COUNT(*) AS n FROM order_events')).toBe(200);
  });

  it('loses nothing when mosquitto restarts mid-stream, and resubscribes when the broker lost the session', async () => {
    const broker = await startMosquitto();
    const s = await stage(broker.url, newDir());
    expect(await s.orders.mqtt.whenReady(10_000)).toBe(true);
    const p = await pos(broker.url, 'pos-restart');
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < 150; i++) acks.push(p.publishAsync('traycheck/s1/pos', placed(`R${i}`), { qos: 1 }));
    const restarted = broker.restart();
    for (let i = 150; i < 300; i++)
      acks.push(p.publishAsync('traycheck/s1/pos', placed(`R${i}`), { qos: 1 }));
    await restarted;
    await Promise.all(acks);
    await waitFor(() => s.count('SELECT COUNT(*) AS n FROM orders') === 300, {
      timeoutMs: 30_000,
      message: '300 orders across a broker restart',
    });
    expect(s.orders.mqtt.stats().connects).toBeGreaterThanOrEqual(2);
    expect(s.orders.mqtt.stats().sessionPresent).toBe(true);

    // A broker that comes back without our session (state wiped): we must subscribe again.
    const port = broker.port;
    await broker.stop();
    const fresh = await startMosquitto({ port });
    await waitFor(() => s.orders.mqtt.status().connected && s.orders.mqtt.stats().subscribed.length === 2, {
      timeoutMs: 15_000,
      message: 'reconnected and resubscribed',
    });
    expect(s.orders.mqtt.stats().sessionPresent).toBe(false);
    const p2 = await pos(fresh.url);
    await p2.publishAsync('traycheck/s1/pos', placed('after-wipe'), { qos: 1 });
    await waitFor(() => s.orders.book.get('after-wipe'), {
      message: 'order after the broker lost its state',
    });
  });

  it('acknowledges a message only once it is stored: a store failure leaves it with the broker', async () => {
    const broker = await startMosquitto();
    const s = await stage(broker.url, newDir());
    expect(await s.orders.mqtt.whenReady(10_000)).toBe(true);
    s.db.exec(
      "CREATE TRIGGER fail_orders BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'simulated disk error'); END",
    );
    const p = await pos(broker.url);
    await p.publishAsync('traycheck/s1/pos', placed('S1'), { qos: 1 });
    await waitFor(() => s.orders.mqtt.stats().handlerErrors >= 1, { message: 'store failure' });
    expect(s.orders.book.get('S1')).toBeNull();
    expect(s.orders.health().state).toBe('degraded');
    s.db.exec('DROP TRIGGER fail_orders');
    // Redelivered by mosquitto after our reconnect, because we never acknowledged it.
    await waitFor(() => s.orders.book.get('S1'), { timeoutMs: 15_000, message: 'redelivered order' });
    expect(s.count("SELECT COUNT(*) AS n FROM order_events WHERE order_id = 'S1'")).toBe(1);
  });

  it('authenticates with a password, reports a refused login and never throws while offline', async () => {
    const broker = await startMosquitto({ users: { traycheck: 's3cret', pos: 'pos-pass' } });
    const good = await stage(broker.url, newDir(), { username: 'traycheck', password: 's3cret' });
    expect(await good.orders.mqtt.whenReady(10_000)).toBe(true);

    const bad = await stage(
      broker.url,
      newDir(),
      { username: 'traycheck', password: 'wrong', clientId: 'traycheck-bad' },
      100,
    );
    await waitFor(() => bad.orders.mqtt.status().error, { message: 'login error' });
    expect(bad.orders.mqtt.status().connected).toBe(false);
    expect(bad.orders.mqtt.status().error).toMatch(/not authorized|bad user/i);
    expect(bad.orders.health().state).toBe('down');
    expect(() => {
      for (let i = 0; i < 1500; i++) bad.orders.publishOutbound({ kind: 'verdict', payload: { i } });
      bad.orders.mqtt.publish('x/y', { big: 1n });
      bad.orders.mqtt.publish('x/y', 'hello', { qos: 0 });
    }).not.toThrow();
    const st = bad.orders.mqtt.stats();
    expect(st.droppedOffline).toBe(1500 - 1000 + 1);
    expect(st.publishErrors).toBe(1);
  });

  it('starts without a broker, reports it down, and connects when the broker appears', async () => {
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const s = await stage(url, newDir(), {}, 200);
    expect(s.orders.mqtt.status()).toMatchObject({ connected: false, url });
    expect(s.orders.mqtt.status().error).toMatch(/ECONNREFUSED/);
    expect(s.orders.health()).toMatchObject({ state: 'down' });
    expect(s.orders.health().detail).toContain(`MQTT broker ${url} unreachable`);
    const statuses: boolean[] = [];
    s.bus.on('brokerStatus', 'test', (b) => void statuses.push(b.connected));
    const broker = await startMosquitto({ port });
    expect(await s.orders.mqtt.whenReady(15_000)).toBe(true);
    expect(statuses).toEqual([true]);
    const p = await pos(broker.url);
    await p.publishAsync('traycheck/s1/pos', placed('late-broker'), { qos: 1 });
    await waitFor(() => s.orders.book.get('late-broker'), { message: 'order after the broker came up' });
  });
});

describe('reconnect backoff', () => {
  it('doubles from the minimum to the cap, with ±20 % jitter', () => {
    const seq: number[] = [];
    let ms = 0;
    for (let i = 0; i < 8; i++) seq.push((ms = nextBackoffMs(ms, 1000, 30_000, () => 0.5)));
    expect(seq).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(nextBackoffMs(0, 1000, 30_000, () => 0)).toBe(800);
    expect(nextBackoffMs(20_000, 1000, 30_000, () => 0.999)).toBe(30_000);
  });
});
