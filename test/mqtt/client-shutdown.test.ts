// The daemon's MQTT connection against real mosquitto: a clean stop is not reported as a lost
// broker (it used to log "disconnected from MQTT broker; reconnecting" on every shutdown), while
// a broker that really goes away still is.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createMqtt, type Mqtt } from '../../src/mqtt/client.js';
import { startMosquitto, stopAllMosquittos } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';
import { mqttConfig } from '../orders/harness.js';

const LOST = 'disconnected from MQTT broker; reconnecting';
const started: Mqtt[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.stop()));
  await stopAllMosquittos();
});

function connection(url: string): { mqtt: Mqtt; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as { level: number; msg: string });
      cb();
    },
  });
  const mqtt = createMqtt({
    config: mqttConfig({ url, protocolVersion: 4, reconnectMinMs: 100 }),
    storeId: 's1',
    log: createLogger({ level: 'info', destination: sink }),
  });
  started.push(mqtt);
  return { mqtt, lines };
}

describe('MQTT connection shutdown', () => {
  it('logs no lost-broker warning on a clean stop', async () => {
    const broker = await startMosquitto();
    const { mqtt, lines } = connection(broker.url);
    await mqtt.start();
    expect(mqtt.status().connected).toBe(true);
    await mqtt.stop();
    expect(mqtt.status().connected).toBe(false);
    expect(lines.filter((l) => l.msg === LOST)).toEqual([]);
  });

  it('still warns when the broker goes away', async () => {
    const broker = await startMosquitto();
    const { mqtt, lines } = connection(broker.url);
    await mqtt.start();
    broker.kill();
    await waitFor(() => lines.find((l) => l.msg === LOST && l.level === 40), {
      message: 'lost-broker warning',
    });
  });
});
