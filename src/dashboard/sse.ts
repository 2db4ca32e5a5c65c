// Server-Sent Events at /api/events: alert, verdict, camera and order events pushed to every
// open page. Each event is serialised once and written to all clients; a client whose unsent
// bytes exceed the bound is dropped (its browser reconnects), so a slow tablet never holds
// memory or the daemon hostage.
import type { ServerResponse } from 'node:http';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Alert, CameraStatus, Order, Verdict } from '../types.js';

export type SseEvent = 'alert' | 'verdict' | 'camera' | 'order';

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
  /** Take over a response; `headers` are written with the 200. */
  attach(res: ServerResponse, headers: Record<string, string>, user: string): void;
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
      heartbeat = setInterval(() => write(`: heartbeat ${Date.now()}\n\n`), opts.heartbeatMs);
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
    attach(res, headers, user) {
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
      res.write('retry: 2000\n: connected\n\n');
    },
    broadcast(event, data) {
      if (clients.size === 0) return;
      write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    clientCount: () => clients.size,
    droppedTotal: () => dropped,
  };
  return hub;
}
