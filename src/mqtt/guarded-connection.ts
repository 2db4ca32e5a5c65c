// The stream aedes reads a client from: the socket's bytes pass through a PacketMeter first. A
// chunk that breaks a hard limit (packet size, malformed length) closes the socket before aedes
// sees it; PUBLISH packets above the per-second limit are held (the socket paused) until the
// next second, so the client is slowed by TCP backpressure and nothing it sent is lost.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { createPacketMeter } from './packet-meter.js';

export interface GuardOptions {
  maxPacketBytes: number;
  maxPublishPerSecond: number;
  now: () => number;
  /** Called once with the limit that closed the connection. */
  onRefused: (limit: 'too-large' | 'malformed') => void;
  /** Called each time the client is held back for publishing too fast. */
  onHeld: () => void;
}

export function guardConnection(socket: Socket, opts: GuardOptions): Duplex {
  const meter = createPacketMeter(opts);
  let held: Buffer | null = null;
  let holdTimer: NodeJS.Timeout | null = null;
  let wantsData = true; // aedes has room for more (no backpressure)
  const conn = new Duplex({
    read() {
      wantsData = true;
      if (!held) socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      if (socket.destroyed) return cb();
      socket.write(chunk, (err) => cb(err ?? null));
    },
    final(cb) {
      socket.end(() => cb());
    },
    destroy(err, cb) {
      if (holdTimer) clearTimeout(holdTimer);
      socket.destroy();
      cb(err);
    },
  });
  const pass = (chunk: Buffer): void => {
    if (chunk.length === 0) return;
    if (!conn.push(chunk)) {
      wantsData = false;
      socket.pause();
    }
  };
  const take = (chunk: Buffer): void => {
    const r = meter.feed(chunk, opts.now());
    if (r.verdict === 'ok') return pass(chunk);
    if (r.verdict === 'hold') {
      pass(chunk.subarray(0, r.at));
      held = chunk.subarray(r.at);
      socket.pause();
      opts.onHeld();
      holdTimer = setTimeout(
        () => {
          holdTimer = null;
          const rest = held;
          held = null;
          if (rest) take(rest);
          if (!held && wantsData && !socket.destroyed) socket.resume();
        },
        Math.max(0, r.resumeAtMs - opts.now()),
      );
      return;
    }
    socket.pause();
    opts.onRefused(r.verdict);
    socket.destroy();
    conn.destroy();
  };
  socket.on('data', take);
  // A client that hangs up while held loses what was held: nothing of it was acknowledged, so a
  // QoS 1 publisher sends it again on its next connection.
  const dropHeld = (): void => {
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = null;
    held = null;
  };
  socket.on('end', () => {
    dropHeld();
    conn.push(null);
  });
  socket.on('error', (err) => conn.destroy(err));
  socket.on('close', () => {
    dropHeld();
    conn.destroy();
  });
  return conn;
}
