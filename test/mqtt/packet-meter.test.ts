// MQTT fixed-header metering (src/mqtt/packet-meter.ts): sizes, publish rate, split chunks.
import { describe, expect, it } from 'vitest';
import { createPacketMeter } from '../../src/mqtt/packet-meter.js';
import { varint } from './packet-fuzz.js';

/** A QoS 0 PUBLISH to traycheck/s1/pos (MQTT 3.1.1 section 3.3). */
function publish(payloadBytes: number): Buffer {
  const topic = Buffer.from('traycheck/s1/pos');
  const body = Buffer.concat([Buffer.from([0, topic.length]), topic, Buffer.alloc(payloadBytes, 0x61)]);
  return Buffer.concat([Buffer.from([0x30, ...varint(body.length)]), body]);
}
const ping = (): Buffer => Buffer.from([0xc0, 0x00]);

describe('createPacketMeter', () => {
  it('passes packets up to the size limit and refuses a larger one from its header alone', () => {
    const m = createPacketMeter({ maxPacketBytes: 1024, maxPublishPerSecond: 100 });
    expect(m.feed(publish(900), 0)).toEqual({ verdict: 'ok' });
    const big = publish(2000);
    expect(m.feed(big.subarray(0, 3), 0)).toEqual({ verdict: 'too-large' });
  });

  it('follows packets split across chunks and several packets in one chunk', () => {
    const m = createPacketMeter({ maxPacketBytes: 4096, maxPublishPerSecond: 100 });
    const stream = Buffer.concat([publish(300), ping(), publish(1000), ping()]);
    for (let i = 0; i < stream.length; i += 7)
      expect(m.feed(stream.subarray(i, i + 7), 0)).toEqual({ verdict: 'ok' });
    expect(m.feed(publish(5000).subarray(0, 2), 0)).toEqual({ verdict: 'ok' }); // length not complete yet
  });

  it('holds PUBLISH packets beyond the per-second limit at the packet boundary, not other packets', () => {
    const m = createPacketMeter({ maxPacketBytes: 4096, maxPublishPerSecond: 3 });
    for (let i = 0; i < 10; i++) expect(m.feed(ping(), 0)).toEqual({ verdict: 'ok' });
    const p = publish(10);
    expect(m.feed(Buffer.concat([p, p]), 100)).toEqual({ verdict: 'ok' });
    // The 3rd passes, the 4th starts at byte 2 * p.length of this chunk: hold from there.
    expect(m.feed(Buffer.concat([ping(), p, p]), 500)).toEqual({
      verdict: 'hold',
      at: ping().length + p.length,
      resumeAtMs: 1100,
    });
    // Fed again in the next second, the held packet passes.
    expect(m.feed(p, 1100)).toEqual({ verdict: 'ok' });
    const n = createPacketMeter({ maxPacketBytes: 4096, maxPublishPerSecond: 3 });
    for (let s = 0; s < 5; s++)
      expect(n.feed(Buffer.concat([publish(1), publish(1), publish(1)]), s * 1000)).toEqual({
        verdict: 'ok',
      });
  });

  it('refuses a remaining length longer than four bytes', () => {
    const m = createPacketMeter({ maxPacketBytes: 1 << 28, maxPublishPerSecond: 3 });
    expect(m.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 0)).toEqual({ verdict: 'malformed' });
  });
});
