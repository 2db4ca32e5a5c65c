// Reads only the MQTT fixed headers of a client's byte stream (packet type and remaining length)
// to enforce the broker limits before aedes parses anything: a packet above maxPacketBytes is
// refused as soon as its header arrives (its body is never buffered), and PUBLISH packets beyond
// maxPublishPerSecond make the caller hold the rest of the stream until the next second. Holding
// (TCP backpressure) instead of disconnecting loses nothing for a POS resending a backlog, and a
// flooding client gets no more than its share. Pure: time is passed in.
export type MeterVerdict =
  | { verdict: 'ok' }
  | { verdict: 'too-large' | 'malformed' }
  /** Pass chunk[0, at), hold chunk[at..] and feed it again at `resumeAtMs`. */
  | { verdict: 'hold'; at: number; resumeAtMs: number };

export interface PacketMeter {
  /** Feeds the next chunk of the client's stream. */
  feed(chunk: Buffer, nowMs: number): MeterVerdict;
}

const PUBLISH = 3;
const OK: MeterVerdict = { verdict: 'ok' };

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
      // Offset of the current packet's first byte in this chunk; -1 when it began in an earlier one.
      let packetStart = -1;
      while (i < chunk.length) {
        if (bodyLeft > 0) {
          const n = Math.min(bodyLeft, chunk.length - i);
          bodyLeft -= n;
          i += n;
          continue;
        }
        const byte = chunk[i++] as number;
        if (headerBytes === 0) {
          packetStart = i - 1;
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
          if (headerBytes > 4) return { verdict: 'malformed' };
          continue;
        }
        const total = headerBytes + remaining;
        headerBytes = 0;
        if (total > opts.maxPacketBytes) return { verdict: 'too-large' };
        if (type === PUBLISH) {
          if (nowMs - windowStart >= 1000) {
            windowStart = nowMs;
            published = 0;
          }
          // A packet whose header began in an earlier chunk has partly passed already: let it go.
          if (published >= opts.maxPublishPerSecond && packetStart >= 0)
            return { verdict: 'hold', at: packetStart, resumeAtMs: windowStart + 1000 };
          published++;
        }
        bodyLeft = remaining;
      }
      return OK;
    },
  };
}
