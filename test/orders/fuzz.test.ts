// 10,000 hostile payloads interleaved with valid orders, through a real mosquitto: the stage
// never crashes, stores every valid order and rejects every invalid message with a reason.
import { afterAll, describe, expect, it } from 'vitest';
import type mqtt from 'mqtt';
import { startMosquitto, stopAllMosquittos } from '../helpers/mosquitto.js';
import { FUZZ_REASON_KEYS, generateFuzzStream } from '../helpers/pos-fuzz.js';
import { waitFor } from '../helpers/wait.js';
import { posClient, removeDir, startStage, tempDataDir, type Stage } from './harness.js';

const TOTAL = 10_000;

describe('fuzzed POS input', () => {
  let stage: Stage | null = null;
  let client: mqtt.MqttClient | null = null;
  const dir = tempDataDir();
  afterAll(async () => {
    await client?.endAsync(true).catch(() => undefined);
    await stage?.stop();
    await stopAllMosquittos();
    removeDir(dir);
  });

  it(`survives ${TOTAL} messages, stores every valid order and rejects every invalid one with a reason`, async () => {
    const broker = await startMosquitto();
    stage = await startStage({ dataDir: dir, mqtt: { url: broker.url } });
    expect(await stage.orders.mqtt.whenReady(10_000)).toBe(true);
    client = await posClient(broker.url);
    const msgs = generateFuzzStream({ seed: 20250301, total: TOTAL });
    const validCount = msgs.filter((m) => m.valid).length;
    const invalidCount = msgs.length - validCount;
    const t0 = Date.now();
    for (let i = 0; i < msgs.length; i += 500) {
      const c = client;
      await Promise.all(
        msgs.slice(i, i + 500).map((m) => c.publishAsync(`traycheck/s1/${m.topic}`, m.payload, { qos: 1 })),
      );
    }
    const s = stage;
    await waitFor(() => s.orders.counters().intake.received === TOTAL, {
      timeoutMs: 40_000,
      intervalMs: 100,
      message: 'all messages processed',
    });
    const elapsedMs = Date.now() - t0;

    expect(s.count("SELECT COUNT(*) AS n FROM orders WHERE order_id LIKE 'F%'")).toBe(validCount);
    const strays = s.db
      .prepare("SELECT order_id, items_json FROM orders WHERE order_id NOT LIKE 'F%' LIMIT 5")
      .all();
    expect(strays).toEqual([]);
    expect(s.count('SELECT COUNT(*) AS n FROM orders')).toBe(validCount);
    expect(s.count('SELECT COUNT(*) AS n FROM rejected_messages')).toBe(invalidCount);
    expect(
      s.count(
        'SELECT COUNT(*) AS n FROM rejected_messages WHERE length(trim(reason)) = 0 OR length(payload) > 2100',
      ),
    ).toBe(0);
    const c = s.orders.counters();
    expect(c.intake).toMatchObject({ received: TOTAL, accepted: validCount, rejected: invalidCount });
    expect(c.rejected.total).toBe(invalidCount);
    expect(Object.values(c.rejected.byReason).reduce((a, b) => a + b, 0)).toBe(invalidCount);
    for (const key of FUZZ_REASON_KEYS) {
      expect(c.rejected.byReason[key], key).toBeGreaterThan(0);
    }
    expect(c.mqtt.handlerErrors).toBe(0);
    expect(s.orders.mqtt.status().connected).toBe(true);
    console.info(
      `fuzz: ${TOTAL} messages in ${elapsedMs} ms (${Math.round((TOTAL / elapsedMs) * 1000)} msg/s)`,
    );
  }, 60_000);
});
