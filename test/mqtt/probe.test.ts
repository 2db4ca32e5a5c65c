// The /tech "test broker" button's round trip on the daemon's own MQTT connection, against real
// mosquitto: a message comes back with its latency; a broker that is gone or that refuses the
// probe topic (ACL) is reported as an error, never thrown, and the POS traffic counters stay clean.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createMqtt, type Mqtt } from '../../src/mqtt/client.js';
import { startMosquitto, stopAllMosquittos } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';
import { mqttConfig } from '../orders/harness.js';

const started: Mqtt[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.stop()));
  await stopAllMosquittos();
});

function connect(url: string, login: { username: string; password: string } | null = null): Mqtt {
  const mqtt = createMqtt({
    config: mqttConfig({ url, protocolVersion: 4, reconnectMinMs: 100, ...(login ?? {}) }),
    storeId: 's1',
    log: silentLogger(),
  });
  started.push(mqtt);
  return mqtt;
}

describe('MQTT probe (test broker)', () => {
  it('publishes and receives its message back, with the round-trip time', async () => {
    const broker = await startMosquitto();
    const mqtt = connect(broker.url);
    await mqtt.start();
    const before = mqtt.stats();
    const r = await mqtt.probe(5000);
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) throw new Error(r.error);
    expect(r.topic).toMatch(/^traycheck\/s1\/probe\/[0-9a-f]{12}$/);
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.latencyMs).toBeLessThan(5000);
    // Not counted as POS traffic, and a second probe works the same (the first unsubscribed).
    expect(mqtt.stats().received).toBe(before.received);
    expect(mqtt.stats().unhandled).toBe(before.unhandled);
    expect(await mqtt.probe(5000)).toMatchObject({ ok: true });
  });

  it('says so when the broker is gone, without throwing', async () => {
    const broker = await startMosquitto();
    const mqtt = connect(broker.url);
    await mqtt.start();
    broker.kill();
    await waitFor(() => !mqtt.status().connected, { message: 'connection lost' });
    const r = await mqtt.probe(1000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^not connected to mqtt:\/\/127\.0\.0\.1:\d+/);
  });

  it('reports an error when the broker refuses the probe topic (ACL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'traycheck-acl-'));
    const acl = join(dir, 'acl');
    // The daemon may use its store's POS/KDS topics and status, but not the probe topic.
    writeFileSync(
      acl,
      [
        'user daemon',
        'topic readwrite traycheck/s1/pos',
        'topic readwrite traycheck/s1/kds',
        'topic write traycheck/s1/status',
        '',
      ].join('\n'),
    );
    const broker = await startMosquitto({
      users: { daemon: 'daemon-password-1' },
      extraConfig: [`acl_file ${acl}`],
    });
    const mqtt = connect(broker.url, { username: 'daemon', password: 'daemon-password-1' });
    await mqtt.start();
    expect(mqtt.status().connected).toBe(true);
    const r = await mqtt.probe(1500);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/refused the subscription|no answer from the broker within 1500 ms/);
  });
});
