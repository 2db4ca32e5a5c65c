// Reads only the MQTT fixed headers of a client's byte stream (packet type and remaining length)
// to enforce the broker limits before aedes parses anything: a packet above maxPacketBytes is
// refused as soon as its header arrives (its body is never buffered), and PUBLISH packets are
// counted per second. Pure: time is passed in.
export type MeterVerdict = 'ok' | 'too-large' | 'too-fast' | 'malformed';

export interface PacketMeter {
  /** Feeds the next chunk of the client's stream. */
  feed(chunk: Buffer, nowMs: number): MeterVerdict;
}

const PUBLISH = 3;

export function createPacketMeter(opts: {
  maxPacketBytes: number;
  maxPublishPerSecond: number;
}): PacketMeter {
  let bodyLeft = 0; // bytes of the current packet's body still to pass
  let headerBytes = 0; // 0: expecting a packet's first byte
  let type = 0;
  let remaining = 0;
  let multiplier = 1;
  let windowStart = -Infinity;
  let published = 0;

  return {
    feed(chunk, nowMs) {
      let i = 0;
      while (i < chunk.length) {
        if (bodyLeft > 0) {
          const n = Math.min(bodyLeft, chunk.length - i);
          bodyLeft -= n;
          i += n;
          continue;
        }
        const byte = chunk[i++] as number;
        if (headerBytes === 0) {
          type = byte >> 4;
          headerBytes = 1;
          remaining = 0;
          multiplier = 1;
          continue;
        }
        remaining += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        headerBytes++;
        if (byte & 0x80) {
          // [MQTT-2.2.3]: the remaining length takes at most four bytes.
          if (headerBytes > 4) return 'malformed';
          continue;
        }
        const total = headerBytes + remaining;
        headerBytes = 0;
        if (total > opts.maxPacketBytes) return 'too-large';
        if (type === PUBLISH) {
          if (nowMs - windowStart >= 1000) {
            windowStart = nowMs;
            published = 0;
          }
          if (++published > opts.maxPublishPerSecond) return 'too-fast';
        }
        bodyLeft = remaining;
      }
      return 'ok';
    },
  };
}
