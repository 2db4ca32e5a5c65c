// Server-Sent Events at /api/events: alert, verdict, camera and order events pushed to every
// open page. Each event is serialised once and written to all clients; a client whose unsent
// bytes exceed the bound is dropped (its browser reconnects), so a slow tablet never holds
// memory or the daemon hostage.
//
// Every event carries an id `<boot>.<seq>`; the last REPLAY_EVENTS are kept so a page that comes
// back (Last-Event-ID header, or `?since=` after it had to open a new EventSource) receives what
// it missed. When the id is from an earlier daemon run or too old, the page is told
// to `resync` (reload its lists) instead. A `ping` event with each heartbeat lets the page notice
// a dead connection that TCP has not reported yet.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Alert, CameraStatus, Order, Verdict } from '../types.js';

export type SseEvent = 'alert' | 'verdict' | 'camera' | 'order';

/** Events kept for replay: a few hours of a busy counter's alerts and verdicts, ~2 MB at most. */
export const REPLAY_EVENTS = 1000;

export interface SseOptions {
  bus: EventBus;
  log: Logger;
  heartbeatMs: number;
  maxBufferedBytes: number;
  present: {
    alert(a: Alert): unknown;
    verdict(v: Verdict): unknown;
    camera(c: CameraStatus): unknown;
    order(o: Order): unknown;
  };
}

export interface SseHub {
  start(): void;
  stop(): void;
  /** Take over a response; `headers` are written with the 200. `since`: the last event id the page saw. */
  attach(res: ServerResponse, headers: Record<string, string>, user: string, since?: string): void;
  broadcast(event: SseEvent, data: unknown): void;
  clientCount(): number;
  droppedTotal(): number;
}

interface Client {
  res: ServerResponse;
  user: string;
}

export function createSseHub(opts: SseOptions): SseHub {
  const clients = new Set<Client>();
  const unsubscribe: Array<() => void> = [];
  let heartbeat: NodeJS.Timeout | null = null;
  let dropped = 0;
  const boot = randomBytes(4).toString('hex');
  let seq = 0;
  const recent: Array<{ seq: number; chunk: string }> = [];

  /** Events after `since`, or null when they cannot be known (other run, too old, malformed). */
  const missedSince = (since: string): string[] | null => {
    const [b, n] = since.split('.');
    const last = Number(n);
    if (b !== boot || !Number.isInteger(last) || last < 0 || last > seq) return null;
    const oldest = recent[0]?.seq ?? seq + 1;
    if (last < oldest - 1) return null;
    return recent.filter((e) => e.seq > last).map((e) => e.chunk);
  };

  const drop = (c: Client, why: string): void => {
    if (!clients.delete(c)) return;
    opts.log.debug({ user: c.user, why }, 'live-event client dropped');
    c.res.destroy();
  };

  const write = (chunk: string): void => {
    for (const c of clients) {
      if (c.res.destroyed || c.res.writableEnded) {
        clients.delete(c);
        continue;
      }
      if (c.res.writableLength + chunk.length > opts.maxBufferedBytes) {
        dropped++;
        drop(c, 'slow client: buffer full');
        continue;
      }
      c.res.write(chunk);
    }
  };

  const hub: SseHub = {
    start() {
      const p = opts.present;
      unsubscribe.push(
        opts.bus.on('alert', 'dashboard', (a) => hub.broadcast('alert', p.alert(a))),
        opts.bus.on('verdict', 'dashboard', (v) => hub.broadcast('verdict', p.verdict(v))),
        opts.bus.on('cameraStatus', 'dashboard', (c) => hub.broadcast('camera', p.camera(c))),
        opts.bus.on('order', 'dashboard', (o) => hub.broadcast('order', p.order(o))),
      );
      heartbeat = setInterval(() => {
        const now = Date.now();
        write(`: heartbeat ${now}\nevent: ping\ndata: ${now}\n\n`);
      }, opts.heartbeatMs);
      heartbeat.unref();
    },
    stop() {
      for (const u of unsubscribe.splice(0)) u();
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      for (const c of [...clients]) {
        clients.delete(c);
        c.res.end();
      }
    },
    attach(res, headers, user, since) {
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      const c: Client = { res, user };
      clients.add(c);
      res.on('close', () => clients.delete(c));
      const hello = JSON.stringify({ heartbeatMs: opts.heartbeatMs, lastEventId: `${boot}.${seq}` });
      res.write(`retry: 2000\n: connected\nevent: hello\ndata: ${hello}\n\n`);
      if (since) {
        const missed = missedSince(since);
        if (missed) for (const chunk of missed) res.write(chunk);
        else res.write(`id: ${boot}.${seq}\nevent: resync\ndata: {}\n\n`);
      }
    },
    broadcast(event, data) {
      seq++;
      const chunk = `id: ${boot}.${seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      recent.push({ seq, chunk });
      if (recent.length > REPLAY_EVENTS) recent.shift();
      if (clients.size > 0) write(chunk);
    },
    clientCount: () => clients.size,
    droppedTotal: () => dropped,
  };
  return hub;
}
