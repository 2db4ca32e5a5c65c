// Live-event stream limits and HTTPS with the technician's certificate.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseHub, REPLAY_EVENTS } from '../../src/dashboard/sse.js';
import { createEventBus } from '../../src/events.js';
import { silentLogger } from '../../src/log.js';
import { tempDir } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';
import { makeVerdict } from './fake-alerts.js';
import { sessionCookie, setupAdmin, startHarness, type Harness } from './harness.js';

const harnesses: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A response whose socket never drains: every byte written stays buffered. */
function stuckResponse(): ServerResponse {
  const w = new Writable({ highWaterMark: 1, write: () => undefined });
  return Object.assign(w, { writeHead: () => w, flushHeaders: () => undefined }) as unknown as ServerResponse;
}
function drainingResponse(sink: string[]): ServerResponse {
  const w = new Writable({
    write: (chunk: Buffer, _enc, cb) => {
      sink.push(chunk.toString());
      cb();
    },
  });
  return Object.assign(w, { writeHead: () => w, flushHeaders: () => undefined }) as unknown as ServerResponse;
}

describe('live-event stream', () => {
  it('drops a client that stops reading, keeps serving the others', () => {
    const bus = createEventBus(silentLogger());
    const hub = createSseHub({
      bus,
      log: silentLogger(),
      heartbeatMs: 60_000,
      maxBufferedBytes: 4096,
      present: { alert: (a) => a, verdict: (v) => v, camera: (c) => c, order: (o) => o },
    });
    hub.start();
    const slow = stuckResponse();
    const seen: string[] = [];
    hub.attach(slow, {}, 'slow');
    hub.attach(drainingResponse(seen), {}, 'fast');
    expect(hub.clientCount()).toBe(2);
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 10; i++) hub.broadcast('order', { i, big });
    expect(hub.clientCount()).toBe(1);
    expect(hub.droppedTotal()).toBe(1);
    expect(slow.destroyed).toBe(true);
    expect(seen.join('').match(/event: order\n/g)).toHaveLength(10);
    hub.stop();
    expect(hub.clientCount()).toBe(0);
  });

  it('numbers events and replays what a returning page missed, or tells it to resync', () => {
    const bus = createEventBus(silentLogger());
    const hub = createSseHub({
      bus,
      log: silentLogger(),
      heartbeatMs: 60_000,
      maxBufferedBytes: 1 << 20,
      present: { alert: (a) => a, verdict: (v) => v, camera: (c) => c, order: (o) => o },
    });
    hub.start();
    const first: string[] = [];
    hub.attach(drainingResponse(first), {}, 'tablet');
    for (let i = 1; i <= 3; i++) hub.broadcast('order', { i });
    const ids = [...first.join('').matchAll(/id: (\S+)\nevent: order/g)].map((m) => m[1] as string);
    expect(ids).toHaveLength(3);
    // The page saw event 1, was away for 2 and 3 (and 4, sent while it had no connection).
    hub.broadcast('order', { i: 4 });
    const back: string[] = [];
    hub.attach(drainingResponse(back), {}, 'tablet', ids[0]);
    const replayed = [...back.join('').matchAll(/data: \{"i":(\d)\}/g)].map((m) => Number(m[1]));
    expect(replayed).toEqual([2, 3, 4]);
    expect(back.join('')).not.toContain('event: resync');
    // An id from another daemon run, or one that fell out of the replay buffer: resync.
    const stranger: string[] = [];
    hub.attach(drainingResponse(stranger), {}, 'tablet', 'deadbeef.1');
    expect(stranger.join('')).toContain('event: resync');
    for (let i = 0; i < REPLAY_EVENTS + 5; i++) hub.broadcast('verdict', { i });
    const old: string[] = [];
    hub.attach(drainingResponse(old), {}, 'tablet', ids[0]);
    expect(old.join('')).toContain('event: resync');
    expect(old.join('')).not.toContain('event: verdict');
    hub.stop();
  });

  it('sends heartbeat comments on the configured interval', async () => {
    const h = await startHarness({ config: { sseHeartbeatMs: 1000 } });
    harnesses.push(h);
    const admin = await setupAdmin(h);
    const chunks: string[] = [];
    const req = httpRequest(`${h.url}/api/events`, { headers: { cookie: admin.headers.cookie as string } });
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      req.on('response', resolve).on('error', reject).end(),
    );
    try {
      res.setEncoding('utf8');
      res.on('data', (c: string) => chunks.push(c));
      await waitFor(() => /: heartbeat \d+\nevent: ping\ndata: \d+\n\n/.test(chunks.join('')), {
        timeoutMs: 5000,
        message: 'heartbeat',
      });
      h.bus.emit('cameraStatus', { ...h.state.cameras[0]!, state: 'stalled' });
      h.alerts.raise(makeVerdict({ orderId: '3', missing: { fries: 1 } }));
      await waitFor(
        () =>
          /event: camera\ndata: .*"stalled"/.test(chunks.join('')) &&
          chunks.join('').includes('event: alert'),
        {
          message: 'camera and alert events',
        },
      );
    } finally {
      req.destroy();
    }
  });
});

describe('HTTPS', () => {
  it("serves over TLS with the technician's certificate and marks the cookie Secure", async () => {
    const dir = tempDir('traycheck-tls-');
    dirs.push(dir);
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const h = await startHarness({ config: { tlsCert: cert, tlsKey: key } });
    harnesses.push(h);
    expect(h.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const token = h.dash.setupToken() as string;
    const body = JSON.stringify({ token, password: 'tls admin password' });
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpsRequest(
        `${h.url}/api/setup`,
        {
          method: 'POST',
          rejectUnauthorized: false,
          headers: { 'content-type': 'application/json', origin: h.url },
        },
        resolve,
      );
      req.on('error', reject).end(body);
    });
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(sessionCookie({ headers: res.headers })).toMatch(/^[\w-]{40,}$/);
  });
});
