// Malformed MQTT 3.1.1 byte streams for the broker fuzz test: each case is what one client
// connection sends before it closes. Deterministic (seeded), so a failure can be replayed.
import { mulberry32 } from '../../src/sim/rng.js';

export type FuzzKind =
  | 'random-bytes'
  | 'truncated'
  | 'length-too-long'
  | 'length-too-short'
  | 'bad-utf8-topic'
  | 'bad-utf8-connect'
  | 'five-byte-length'
  | 'reserved-type';

export const FUZZ_KINDS: FuzzKind[] = [
  'random-bytes',
  'truncated',
  'length-too-long',
  'length-too-short',
  'bad-utf8-topic',
  'bad-utf8-connect',
  'five-byte-length',
  'reserved-type',
];

/** Remaining length as MQTT encodes it (7 bits a byte, high bit: more follows). */
export function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}
const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
const packet = (first: number, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from([first, ...varint(body.length)]), body]);

/** A valid CONNECT (clean session, keepalive 30 s) with optional credentials. */
export function connectPacket(clientId: Buffer, login?: { username: Buffer; password: Buffer }): Buffer {
  const flags = 0x02 | (login ? 0xc0 : 0);
  const parts = [str(Buffer.from('MQTT')), Buffer.from([4, flags, 0, 30]), str(clientId)];
  if (login) parts.push(str(login.username), str(login.password));
  return packet(0x10, Buffer.concat(parts));
}
export function publishPacket(topic: Buffer, payload: Buffer): Buffer {
  return packet(0x30, Buffer.concat([str(topic), payload]));
}

const BAD_UTF8 = [
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0x00]),
];

export function fuzzCase(
  kind: FuzzKind,
  seed: number,
  login: { username: string; password: string },
): Buffer {
  const rnd = mulberry32(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));
  const creds = { username: Buffer.from(login.username), password: Buffer.from(login.password) };
  const hello = connectPacket(Buffer.from(`fuzz-${seed}`), creds);
  const order = publishPacket(Buffer.from('traycheck/s1/pos'), Buffer.from('{"type":"order.placed"'));
  switch (kind) {
    case 'random-bytes':
      return bytes(1 + int(300));
    case 'truncated': {
      const whole = Buffer.concat([hello, order]);
      return whole.subarray(0, 1 + int(whole.length - 1));
    }
    case 'length-too-long': {
      // Announces more than it sends, then the connection ends.
      const body = bytes(int(40));
      return Buffer.concat([hello, Buffer.from([0x30, ...varint(body.length + 1 + int(5000))]), body]);
    }
    case 'length-too-short': {
      // The rest of the body is read as the next packets.
      const full = publishPacket(Buffer.from('traycheck/s1/pos'), bytes(20 + int(200)));
      const cut = Buffer.from(full);
      cut[1] = Math.max(0, (cut[1] as number) - 1 - int(15));
      return Buffer.concat([hello, cut]);
    }
    case 'bad-utf8-topic': {
      const bad = BAD_UTF8[int(BAD_UTF8.length)] as Buffer;
      const topic = Buffer.concat([Buffer.from('traycheck/s1/'), bad, Buffer.from('pos')]);
      return Buffer.concat([hello, publishPacket(topic, Buffer.from('{}'))]);
    }
    case 'bad-utf8-connect': {
      const bad = BAD_UTF8[int(BAD_UTF8.length)] as Buffer;
      return rnd() < 0.5
        ? connectPacket(Buffer.concat([Buffer.from('id-'), bad]), creds)
        : connectPacket(Buffer.from(`fuzz-${seed}`), { username: bad, password: creds.password });
    }
    case 'five-byte-length':
      return Buffer.concat([hello, Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]), bytes(10)]);
    case 'reserved-type':
      return Buffer.concat([hello, Buffer.from([0xf0 | int(16), 0]), order]);
  }
}
