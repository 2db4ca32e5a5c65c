// The stream aedes reads a client from: the socket's bytes pass through a PacketMeter first, and
// the first chunk that breaks a limit closes the socket before aedes sees it.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { createPacketMeter, type MeterVerdict } from './packet-meter.js';

export interface GuardOptions {
  maxPacketBytes: number;
  maxPublishPerSecond: number;
  now: () => number;
  /** Called once with the limit that closed the connection. */
  onRefused: (verdict: Exclude<MeterVerdict, 'ok'>) => void;
}

export function guardConnection(socket: Socket, opts: GuardOptions): Duplex {
  const meter = createPacketMeter(opts);
  const conn = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      if (socket.destroyed) return cb();
      socket.write(chunk, (err) => cb(err ?? null));
    },
    final(cb) {
      socket.end(() => cb());
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    const verdict = meter.feed(chunk, opts.now());
    if (verdict !== 'ok') {
      socket.pause();
      opts.onRefused(verdict);
      socket.destroy();
      conn.destroy();
      return;
    }
    if (!conn.push(chunk)) socket.pause();
  });
  socket.on('end', () => conn.push(null));
  socket.on('error', (err) => conn.destroy(err));
  socket.on('close', () => conn.destroy());
  return conn;
}
