// The embedded broker in this process (real aedes, real SQLite persistence, users and limits
// from the schema's defaults) fed 6,000 malformed MQTT streams (packet-fuzz.ts) from 8 addresses:
// its JavaScript heap after a full GC must not grow with the connections it has dropped.
import { connect as netConnect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { silentLogger } from '../../src/log.js';
import { createEmbeddedBroker, type EmbeddedBroker } from '../../src/mqtt/broker.js';
import { mqttConfig, removeDir, tempDataDir } from '../orders/harness.js';
import { FUZZ_KINDS, fuzzCase } from './packet-fuzz.js';

const MB = 1024 * 1024;
/** Heap growth allowed between 2,000 and 6,000 connections (both after a full GC). */
const HEAP_GROWTH_MAX_BYTES = 2 * MB;
const PASSWORD = 'pos-1-secret';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let broker: EmbeddedBroker;
const dir = tempDataDir();
beforeAll(async () => {
  broker = createEmbeddedBroker({
    config: mqttConfig({ embedded: { host: '127.0.0.2', port: 0 } }).embedded,
    users: [{ username: 'pos-1', passwordHash: await hashPassword(PASSWORD), role: 'pos' }],
    base: 'traycheck/s1',
    dir,
    log: silentLogger(),
  });
  await broker.start();
});
afterAll(async () => {
  await broker.stop();
  removeDir(dir);
});

function send(bytes: Buffer, from: string): Promise<void> {
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.2', port: broker.port(), localAddress: from }, () => s.end(bytes));
    s.on('error', () => undefined);
    s.resume();
    s.on('close', () => resolve());
    s.setTimeout(10_000, () => s.destroy());
  });
}

let next = 0;
async function fuzzTo(to: number): Promise<void> {
  const worker = async (): Promise<void> => {
    while (next < to) {
      const i = next++;
      const kind = FUZZ_KINDS[i % FUZZ_KINDS.length] ?? 'random-bytes';
      const creds = { username: 'pos-1', password: i % 8 === 7 ? 'wrong' : PASSWORD };
      await send(fuzzCase(kind, i, creds), `127.0.0.${30 + (i % 8)}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe('embedded broker heap under malformed packets', () => {
  it('stays flat after a warm-up', async () => {
    await fuzzTo(2000);
    const warm = heapAfterGc();
    await fuzzTo(6000);
    const end = heapAfterGc();
    const h = broker.health();
    expect(h.state).toBe('ok');
    expect((h.data as { clients: number }).clients).toBe(0);
    const refused = (h.data as { refused: Record<string, number> }).refused;
    expect(refused.malformed).toBeGreaterThan(0);
    expect(refused.tooLarge).toBeGreaterThan(0);
    expect(refused.lockouts).toBeGreaterThan(0);
    expect(end - warm).toBeLessThan(HEAP_GROWTH_MAX_BYTES);
    console.info(
      `broker heap after GC: ${(warm / MB).toFixed(1)} MB at 2,000 connections, ${(end / MB).toFixed(1)} MB at 6,000`,
    );
  }, 120_000);
});
