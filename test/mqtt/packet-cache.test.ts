// mqtt-packet's remaining-length cache (src/mqtt/packet-cache.ts): filled lazily, each new length
// pins a pool block of its own; primed at start, the same traffic pins nothing more. Each case runs
// in a fresh Node process (the cache is per process, and --expose-gc gives a heap after GC) with the
// real mqtt-packet that mqtt.js loads, writing PUBLISH packets of 3,000 lengths in shuffled order,
// with a pool block's worth of short-lived buffers allocated between them, as a daemon handling
// messages does.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt } from '../helpers/built.js';
import { ROOT } from '../helpers/daemon.js';

const MODULE = join(ROOT, 'dist', 'src', 'mqtt', 'packet-cache.js');
const LENGTHS = 3000;
const KB = 1024;

/** ArrayBuffer bytes still held after GC, before and after the traffic, in a fresh process. */
function run(prime: boolean): { grewBytes: number; poolSize: number; primed: string[] } {
  const script = `
    const { createRequire } = require('node:module');
    import(${JSON.stringify(MODULE)}).then((m) => {
      const [path] = m.mqttPacketPaths();
      const { writeToStream } = createRequire(path)(path);
      const primed = ${prime} ? m.primeLengthCache() : [];
      const sink = { write: () => true, destroy: (e) => { throw e; } };
      const held = () => { gc(); gc(); return process.memoryUsage().arrayBuffers; };
      // lengths 30 .. 30 + LENGTHS (the topic takes 27) in a fixed shuffled order (a small LCG, same in both cases)
      const order = Array.from({ length: ${LENGTHS} }, (_, i) => 30 + i);
      let s = 7;
      for (let i = order.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2147483648;
        const j = s % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const payload = Buffer.alloc(${LENGTHS} + 30);
      const before = held();
      let keep = [];
      for (const length of order) {
        writeToStream({ cmd: 'publish', topic: 'traycheck/s1/pos/rejected', payload: payload.subarray(0, length - 27), qos: 0 }, sink, { protocolVersion: 4 });
        // other work: a pool block's worth of short-lived pooled buffers (a few messages), dropped next round
        keep = Array.from({ length: 5 }, () => Buffer.allocUnsafe(Buffer.poolSize >>> 2));
      }
      keep = [];
      process.stdout.write(JSON.stringify({ grewBytes: held() - before, poolSize: Buffer.poolSize, primed }) + '\\n');
    });`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
    grewBytes: number;
    poolSize: number;
    primed: string[];
  };
}

describe('mqtt-packet remaining-length cache', () => {
  it('pins a pool block per new length when filled lazily, and nothing more once primed', () => {
    assertBuilt(MODULE);
    const lazy = run(false);
    const primed = run(true);
    console.info(
      `mqtt-packet length cache, ${LENGTHS} new lengths: lazy +${(lazy.grewBytes / KB).toFixed(0)} KiB, ` +
        `primed +${(primed.grewBytes / KB).toFixed(0)} KiB (Buffer.poolSize ${lazy.poolSize})`,
    );
    expect(primed.primed).toHaveLength(1);
    // the failure this guards against: most new lengths keep a block alive
    expect(lazy.grewBytes).toBeGreaterThan((LENGTHS / 2) * lazy.poolSize);
    // primed: the traffic adds no cache entries, so no block stays pinned
    expect(primed.grewBytes).toBeLessThan(4 * primed.poolSize);
  });

  it('primes each copy once', async () => {
    assertBuilt(MODULE);
    const { primeLengthCache, mqttPacketPaths } = (await import(
      MODULE
    )) as typeof import('../../src/mqtt/packet-cache.js');
    const paths = mqttPacketPaths();
    expect(paths.length).toBeGreaterThanOrEqual(1);
    for (const p of paths) expect(p).toMatch(/mqtt-packet[\\/]mqtt\.js$/);
    primeLengthCache(paths);
    expect(primeLengthCache(paths)).toEqual([]);
  });
});
