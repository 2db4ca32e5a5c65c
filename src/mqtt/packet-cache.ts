// mqtt-packet (the encoder under both mqtt.js and aedes) caches the encoding of every MQTT
// remaining length below 16,384 the first time it writes a packet of that length, as a 1-4 byte
// slice of Node's shared Buffer pool. A slice keeps its whole pool block alive (8 KiB on Node 20
// and 22, 64 KiB on Node 24), and the cache is never emptied. Filled lazily, one new length now
// and then between other allocations, each entry pins a block of its own: the daemon's echoes of
// rejected POS messages (every length up to ~2 KB) grew its heap by ~8 KiB per new length seen, and
// the worst case is 16,384 blocks (128 MiB on Node 22, 1 GiB on Node 24). Upstream:
// mqttjs/mqtt-packet#163, fix proposed in #164, not released (9.0.2).
//
// Written once at start, in a tight loop, the entries are carved back to back and share a handful
// of pool blocks (16 of 8 KiB). primeLengthCache() does that by encoding one PUBLISH of every
// length into a writer that discards it, for each copy of mqtt-packet that mqtt.js and aedes load.
import { createRequire } from 'node:module';

/** mqtt-packet caches the encodings of remaining lengths below this (writeToStream.js). */
export const CACHED_LENGTHS = 16_384;

interface Sink {
  write(chunk: unknown): boolean;
  destroy(err?: Error): void;
}
type WriteToStream = (packet: Record<string, unknown>, stream: Sink, opts?: object) => boolean;

/** Copies already primed (by resolved path), so a second call costs nothing. */
const primed = new Set<string>();

/** The mqtt-packet file each of mqtt.js and aedes loads (one path when npm deduplicated them). */
export function mqttPacketPaths(): string[] {
  const here = createRequire(import.meta.url);
  const paths = ['mqtt', 'aedes'].map((dep) => createRequire(here.resolve(dep)).resolve('mqtt-packet'));
  return [...new Set(paths)];
}

/**
 * Fills mqtt-packet's remaining-length cache for every length it caches, in one go, so the entries
 * share pool blocks instead of each pinning one. Lengths 0 and 1 are written only as MQTT 5
 * property lengths (a PUBLISH is at least 2: the topic's length field); they are left to fill
 * lazily (two blocks at most). Returns the copies primed by this call.
 */
export function primeLengthCache(paths: string[] = mqttPacketPaths()): string[] {
  const done: string[] = [];
  for (const path of paths) {
    if (primed.has(path)) continue;
    const writeToStream = (createRequire(path)(path) as { writeToStream: WriteToStream }).writeToStream;
    const sink: Sink = {
      write: () => true,
      destroy: (err) => {
        throw err ?? new Error('mqtt-packet refused a priming packet');
      },
    };
    const topic = Buffer.alloc(0); // remaining length = 2 (topic length field) + payload
    const payload = Buffer.alloc(CACHED_LENGTHS);
    for (let length = 2; length < CACHED_LENGTHS; length++) {
      writeToStream({ cmd: 'publish', topic, payload: payload.subarray(0, length - 2), qos: 0 }, sink, {
        protocolVersion: 4,
      });
    }
    primed.add(path);
    done.push(path);
  }
  return done;
}
