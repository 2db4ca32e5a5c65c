import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { makeVerdict } from './fake-alerts.js';
import {
  setupAdmin,
  startHarness,
  type AlertList,
  type Harness,
  type OpenApiDoc,
  type Session,
} from './harness.js';

let h: Harness;
let admin: Session;
beforeEach(async () => {
  h = await startHarness();
  admin = await setupAdmin(h);
});
afterEach(async () => {
  await h.stop();
});

const get = (url: string, headers: Record<string, string> = { cookie: admin.headers.cookie as string }) =>
  h.app.inject({ url, headers });

describe('alerts API', () => {
  it('lists open alerts in plain words and acknowledges one', async () => {
    const a = h.alerts.raise(
      makeVerdict({ orderId: '1042', missing: { fries: 1 }, extra: { drink: 1 }, snapshotId: 'abcdef12' }),
    );
    const list = (await get('/api/alerts')).json<AlertList>();
    expect(list.alerts).toHaveLength(1);
    expect(list.alerts[0]).toMatchObject({
      id: a.id,
      orderId: '1042',
      summary: 'Missing: 1 × Fries · Extra: 1 × Cola',
      snapshotId: 'abcdef12',
    });
    const ack = await h.app.inject({
      method: 'POST',
      url: `/api/alerts/${a.id}/ack`,
      headers: admin.headers,
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'admin' });
    expect((await get('/api/alerts')).json<AlertList>().alerts).toHaveLength(0);
    // Acknowledged: no longer waiting for staff.
    expect((await h.app.inject({ url: '/metrics' })).body).toContain('traycheck_alerts_open 0');
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/alerts/999/ack', headers: admin.headers })).statusCode,
    ).toBe(404);
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/alerts/abc/ack', headers: admin.headers })).statusCode,
    ).toBe(400);
  });

  it('dismisses a tray served with an error on the server: who, when, gone from every list', async () => {
    const served = h.alerts.raise(makeVerdict({ orderId: '1050', missing: { fries: 1 } }));
    const open = h.alerts.raise(makeVerdict({ orderId: '1051', trayId: 'expo-2', missing: { drink: 1 } }));
    h.alerts.resolve(served.id, 'served-with-error');
    expect(
      (await get('/api/alerts')).json<AlertList & { servedWrong: { id: number }[] }>().servedWrong,
    ).toEqual([expect.objectContaining({ id: served.id, dismissedAt: null, dismissedBy: null })]);
    const events: unknown[] = [];
    h.bus.on('alert', 'test', (a) => void events.push(a));
    const dismiss = (id: number | string) =>
      h.app.inject({ method: 'POST', url: `/api/alerts/${id}/dismiss`, headers: admin.headers });
    const res = await dismiss(served.id);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ dismissedBy: string; dismissedAt: number; resolution: string }>();
    expect(body).toMatchObject({ dismissedBy: 'admin', resolution: 'served-with-error' });
    expect(Math.abs(body.dismissedAt - Date.now())).toBeLessThan(5000);
    // Every screen hears it (the alert event), and a reload does not bring it back.
    expect(events).toMatchObject([{ id: served.id, dismissedBy: 'admin' }]);
    expect((await get('/api/alerts')).json<{ servedWrong: unknown[] }>().servedWrong).toEqual([]);
    // A second tap changes nothing; an open alert or an unknown one cannot be dismissed.
    expect((await dismiss(served.id)).json()).toMatchObject({
      dismissedBy: 'admin',
      dismissedAt: body.dismissedAt,
    });
    expect(events).toHaveLength(1);
    expect((await dismiss(open.id)).statusCode).toBe(409);
    expect(h.alerts.get(open.id)).toMatchObject({ status: 'open', dismissedAt: null });
    expect((await dismiss(999)).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'POST', url: `/api/alerts/${served.id}/dismiss` })).statusCode).toBe(
      401,
    );
  });

  it('delivers an alert over Server-Sent Events within a second', async () => {
    const chunks: string[] = [];
    const req = request(`${h.url}/api/events`, { headers: { cookie: admin.headers.cookie as string } });
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      req.on('response', resolve).on('error', reject).end();
    });
    try {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      res.setEncoding('utf8');
      res.on('data', (c: string) => chunks.push(c));
      await waitFor(() => chunks.join('').includes(': connected'), { message: 'SSE preamble' });
      const t0 = Date.now();
      const a = h.alerts.raise(makeVerdict({ orderId: '77', missing: { fries: 1 } }));
      const text = await waitFor(() => chunks.join('').match(/event: alert\ndata: (.+)\n\n/)?.[1], {
        timeoutMs: 1000,
        message: 'alert event',
      });
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(JSON.parse(text)).toMatchObject({ id: a.id, orderId: '77', lines: ['Missing: 1 × Fries'] });
      expect(chunks.join('')).toMatch(/event: verdict\n/);
    } finally {
      req.destroy();
    }
    const anon = await h.app.inject({ url: '/api/events' });
    expect(anon.statusCode).toBe(401);
  });
});

describe('snapshots', () => {
  it('serves a snapshot and refuses traversal ids without resolving them', async () => {
    writeFileSync(join(h.dir, 'snapshots', 'abcdef12.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    const ok = await get('/api/snapshots/abcdef12.jpg');
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('image/jpeg');
    expect((await get('/api/snapshots/abcdef99.jpg')).statusCode).toBe(404);
    h.state.snapshotCalls.length = 0;
    const attacks = [
      '/api/snapshots/..%2F..%2Fetc%2Fpasswd.jpg',
      '/api/snapshots/%2e%2e.jpg',
      '/api/snapshots/%2e%2e%2f%2e%2e%2ftraycheck.db.jpg',
      '/api/snapshots/../../etc/passwd',
      '/api/snapshots/..%5c..%5cwin.jpg',
      '/api/snapshots/%2Fetc%2Fpasswd.jpg',
      '/api/snapshots//etc/passwd.jpg',
      '/api/snapshots/abc%00.jpg',
    ];
    for (const url of attacks) {
      const r = await get(url);
      expect([400, 404], url).toContain(r.statusCode);
      expect(r.headers['content-type'], url).not.toBe('image/jpeg');
    }
    expect(h.state.snapshotCalls).toEqual([]);
  });
});

describe('health, metrics, documents', () => {
  it('/api/health is 200 when ok and 503 when degraded', async () => {
    const ok = await h.app.inject({ url: '/api/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ok', components: { camera: { state: 'ok' } } });
    h.state.health = {
      ...h.state.health,
      status: 'degraded',
      components: { camera: { state: 'down', detail: 'camera expo offline' } },
    };
    const bad = await h.app.inject({ url: '/api/health' });
    expect(bad.statusCode).toBe(503);
    expect(bad.json()).toMatchObject({
      status: 'degraded',
      components: { camera: { detail: 'camera expo offline' } },
    });
  });

  it('/metrics speaks the Prometheus text format, fed from bus events', async () => {
    const frame = { cameraId: 'expo', seq: 1, ts: Date.now(), width: 2, height: 2, data: Buffer.alloc(12) };
    h.bus.emit('frame', frame);
    h.bus.emit('frame', { ...frame, seq: 2 });
    h.bus.emit('detections', {
      cameraId: 'expo',
      seq: 2,
      ts: Date.now(),
      width: 2,
      height: 2,
      detections: [],
      inferenceMs: 42,
    });
    h.alerts.raise(makeVerdict({ orderId: '5', missing: { fries: 1 } }));
    h.bus.emit('rejected', {
      topic: 't',
      reason: 'invalid JSON: Unexpected token',
      payload: '{',
      ts: Date.now(),
    });
    const res = await h.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = res.body;
    for (const line of body.trim().split('\n')) {
      expect(line).toMatch(
        /^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.e+]+|\+Inf|NaN))$/,
      );
    }
    expect(body).toContain('traycheck_frames_total{camera="expo"} 2');
    expect(body).toContain('traycheck_verdicts_total{result="mismatch"} 1');
    expect(body).toContain('traycheck_alerts_open 1');
    expect(body).toContain('traycheck_camera_up{camera="expo"} 1');
    expect(body).toContain('traycheck_frames_dropped_total{camera="expo"} 2');
    expect(body).toContain('traycheck_rejected_messages_total{reason_class="invalid_json"} 1');
    expect(body).toContain('traycheck_inference_ms_bucket{le="50"} 1');
    expect(body).toContain('traycheck_inference_ms_count 1');
    expect(body).toMatch(/# TYPE traycheck_inference_ms histogram/);
    // What a chain's Prometheus needs to tell stores and models apart.
    expect(body).toContain(
      `traycheck_info{store="store-1",store_name="Test Diner",version="0.1.0-test",model="traycheck-det",model_version="1",model_hash="abababababab"} 1`,
    );
    expect(body).toContain('traycheck_alerts_resolved_total{resolution="corrected"} 0');
  });

  it('/metrics counts resolved alerts by resolution (errors caught, served with error)', async () => {
    const a = h.alerts.raise(makeVerdict({ orderId: '6', missing: { fries: 1 } }));
    const b = h.alerts.raise(makeVerdict({ orderId: '7', missing: { drink: 1 } }));
    h.alerts.resolve(a.id, 'corrected');
    h.alerts.resolve(b.id, 'served-with-error');
    const body = (await h.app.inject({ url: '/metrics' })).body;
    expect(body).toContain('traycheck_alerts_resolved_total{resolution="corrected"} 1');
    expect(body).toContain('traycheck_alerts_resolved_total{resolution="served-with-error"} 1');
    expect(body).toContain('traycheck_alerts_resolved_total{resolution="acknowledged"} 0');
  });

  it('with a metricsToken, /metrics and /api/health need the bearer token or a session', async () => {
    const token = 'm'.repeat(24);
    const t = await startHarness({ config: { metricsToken: token } });
    try {
      expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
      expect(
        (await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-xxxxxxxxx' } }))
          .statusCode,
      ).toBe(401);
      expect(
        (await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode,
      ).toBe(200);
      expect(
        (await t.app.inject({ url: '/api/health', headers: { authorization: `Bearer ${token}` } }))
          .statusCode,
      ).toBe(200);
    } finally {
      await t.stop();
    }
  });

  it('serves the OpenAPI document, config schema and POS payload schemas', async () => {
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json<OpenApiDoc>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/alerts',
        '/api/alerts/{id}/ack',
        '/api/verdicts',
        '/api/health',
        '/metrics',
        '/api/users',
      ]),
    );
    expect(
      doc.paths['/api/login']?.post?.requestBody?.content['application/json']?.schema.properties,
    ).toHaveProperty('password');
    expect(doc.paths['/api/verdicts']?.get?.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['orderId', 'result', 'from', 'to', 'page']),
    );
    expect((await h.app.inject({ url: '/api/config/schema.json' })).json()).toMatchObject({
      title: 'traycheck configuration',
    });
    expect((await h.app.inject({ url: '/api/schemas' })).json()).toEqual({
      schemas: [{ name: 'pos-order-placed', url: '/api/schemas/pos-order-placed.json' }],
    });
    const one = await h.app.inject({ url: '/api/schemas/pos-order-placed.json' });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ $id: 'pos-order-placed' });
    expect((await h.app.inject({ url: '/api/schemas/..%2Ftraycheck.json' })).statusCode).toBe(400);
    expect((await h.app.inject({ url: '/api/schemas/missing.json' })).statusCode).toBe(404);
  });
});
