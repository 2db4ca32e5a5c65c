// The whole daemon (`traycheck run`, compiled) is SIGKILLed while 1,000 QoS 1 orders stream in,
// started again on the same data dir, and the database must then hold every order exactly once.
// Once behind mosquitto (the POS keeps publishing into the daemon's persistent session while it is
// down) and once with the embedded broker, which dies with the process: the POS reconnects and
// sends again what was not acknowledged; what was acknowledged must survive in broker.db.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMosquitto } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { placed } from '../helpers/pos.js';
import { waitFor } from '../helpers/wait.js';
import {
  cleanUp,
  daemonSetup,
  killDaemon,
  openStore,
  connectPersistent,
  startDaemon,
  topic,
  trackPublishes,
} from './harness.js';

const COUNT = 1000;
/** Published before the kill; the rest is published while the daemon is down. */
const BEFORE_KILL = 500;
/** Stored when the kill comes: proves the daemon was working through the stream. */
const STORED_AT_KILL = 100;

afterEach(cleanUp);

async function killMidStreamAndRestart(mqttSection: Record<string, unknown>, url: string): Promise<void> {
  const { dataDir, configFile } = daemonSetup({ mqtt: mqttSection });
  const first = await startDaemon(configFile);
  const store = openStore(join(dataDir, 'traycheck.db'));
  try {
    const pos = await connectPersistent(url, `pos-kill-${process.pid}`);
    const publisher = trackPublishes(pos);
    const ids = Array.from({ length: COUNT }, (_, i) => `K${i}`);
    const sends = ids.slice(0, BEFORE_KILL).map((id) => publisher.publish(topic('pos'), placed(id), id));
    await waitFor(() => store.count('SELECT COUNT(*) AS n FROM orders') >= STORED_AT_KILL, {
      timeoutMs: 20_000,
      intervalMs: 5,
      message: `${STORED_AT_KILL} orders stored before the kill`,
    });
    await killDaemon(first);
    const storedAtKill = store.count('SELECT COUNT(*) AS n FROM orders');
    const ackedAtKill = new Set(publisher.acked);
    // Embedded broker: these wait in mqtt.js until the POS reconnects; mosquitto: they are queued
    // for the daemon's offline session.
    sends.push(...ids.slice(BEFORE_KILL).map((id) => publisher.publish(topic('pos'), placed(id), id)));

    const second = await startDaemon(configFile);
    await Promise.all(sends);
    await waitFor(() => store.count('SELECT COUNT(*) AS n FROM order_events') >= COUNT, {
      timeoutMs: 30_000,
      intervalMs: 50,
      message: `all ${COUNT} orders stored after the restart`,
    });

    expect(storedAtKill).toBeGreaterThanOrEqual(STORED_AT_KILL);
    expect(storedAtKill).toBeLessThan(COUNT);
    expect(ackedAtKill.size).toBeGreaterThan(0);
    const storedIds = new Set(
      (store.db.prepare('SELECT order_id FROM orders').all() as { order_id: string }[]).map(
        (r) => r.order_id,
      ),
    );
    expect(storedIds.size).toBe(COUNT);
    expect(ids.filter((id) => !storedIds.has(id))).toEqual([]);
    expect([...ackedAtKill].filter((id) => !storedIds.has(id))).toEqual([]);
    // Exactly once: one audit row per event, whatever the broker delivered twice.
    const dupes = store.db
      .prepare('SELECT event_id, COUNT(*) AS n FROM order_events GROUP BY event_id HAVING n > 1 LIMIT 5')
      .all();
    expect(dupes).toEqual([]);
    expect(store.count('SELECT COUNT(*) AS n FROM order_events')).toBe(COUNT);
    expect(store.count("SELECT COUNT(*) AS n FROM order_events WHERE event_id = 'placed-' || order_id")).toBe(
      COUNT,
    );
    expect(store.count('SELECT COUNT(*) AS n FROM rejected_messages')).toBe(0);

    const { code } = await second.stop('SIGTERM');
    expect(code).toBe(0);
  } finally {
    store.close();
  }
}

describe('daemon SIGKILLed while orders stream in', () => {
  it('behind mosquitto: all 1,000 orders stored exactly once after the restart', async () => {
    const broker = await startMosquitto();
    await killMidStreamAndRestart({ url: broker.url, protocolVersion: 5 }, broker.url);
  }, 90_000);

  it('with the embedded broker: the POS resends what was not acknowledged, nothing acknowledged is lost', async () => {
    const port = await freePort();
    await killMidStreamAndRestart({ embedded: { host: '127.0.0.1', port } }, `mqtt://127.0.0.1:${port}`);
  }, 90_000);
});
