// /history evidence: filters by camera and item, one verdict in detail with who
// acknowledged its alert, and the CSV export (spreadsheet-safe) against a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObservationsRepo } from '../../src/store/observations-repo.js';
import { makeVerdict } from './fake-alerts.js';
import { setupAdmin, startHarness, type Harness, type Session } from './harness.js';

let h: Harness;
let admin: Session;
beforeAll(async () => {
  h = await startHarness();
  admin = await setupAdmin(h);
  h.db
    .prepare(
      'INSERT INTO orders (order_id, version, station, items_json, status, placed_at, updated_at) VALUES (?,?,?,?,?,?,?)',
    )
    .run('=1+1', 1, 'expo', JSON.stringify([{ sku: 'COMBO1', qty: 1 }]), 'ready', Date.now(), Date.now());
});
afterAll(async () => h?.stop());

const get = (url: string) => h.app.inject({ url, headers: admin.headers });

describe('history evidence', () => {
  it('filters by camera and item; a verdict in detail says who acknowledged its alert', async () => {
    const a = h.alerts.raise(
      makeVerdict({
        orderId: '=1+1',
        expected: { burger: 1, fries: 1, drink: 1 },
        observed: { burger: 1, drink: 2 },
        missing: { fries: 1 },
        extra: { drink: 1 },
      }),
    );
    h.alerts.raise(makeVerdict({ orderId: '2001', cameraId: 'drive', missing: { burger: 1 } }));
    h.alerts.acknowledge(a.id, 'sam');

    const byItem = (await get('/api/verdicts?item=fries')).json<{ items: { id: number }[] }>();
    expect(byItem.items.map((v) => v.id)).toEqual([a.verdict.id]);
    const byCamera = (await get('/api/verdicts?cameraId=drive')).json<{ items: { orderId: string }[] }>();
    expect(byCamera.items.map((v) => v.orderId)).toEqual(['2001']);
    // LIKE wildcards in the item are literal: "fr_es" finds nothing.
    expect((await get('/api/verdicts?item=fr_es')).json<{ total: number }>().total).toBe(0);
    expect((await get('/api/verdicts?item=fries%25')).statusCode).toBe(400);

    const detail = await get(`/api/verdicts/${a.verdict.id}`);
    expect(detail.statusCode).toBe(200);
    const d = detail.json<Record<string, unknown>>();
    expect(d).toMatchObject({
      orderId: '=1+1',
      link: 'ready',
      counts: [
        { label: 'burger', name: 'Burger', expected: 1, seen: 1 },
        { label: 'drink', name: 'Cola', expected: 1, seen: 2 },
        { label: 'fries', name: 'Fries', expected: 1, seen: 0 },
      ],
      order: {
        lines: [{ text: '1 × Burger Meal', state: 'missing', missing: ['1 × Fries'] }],
        extras: ['1 × Cola'],
      },
      alerts: [{ id: a.id, status: 'acknowledged', acknowledgedBy: 'sam' }],
    });
    expect((await get('/api/verdicts/999999')).statusCode).toBe(404);
  });

  it('a verdict in detail shows the detections it was judged on, with confidences and unsure flags', async () => {
    const t = Date.now() - 5000;
    const observations = createObservationsRepo(h.db);
    const obs = {
      cameraId: 'expo',
      trayId: 'expo-41',
      station: 'expo',
      items: { burger: 1, fries: 1 },
      uncertain: ['fries'],
      box: [100, 50, 400, 300] as [number, number, number, number],
    };
    // An older observation of the same tray, and a later one: the verdict's own is the one at its time.
    observations.insert({
      ...obs,
      phase: 'settled',
      ts: t - 2000,
      detections: [{ label: 'drink', score: 0.9, box: [1, 1, 2, 2] }],
    });
    observations.insert({
      ...obs,
      phase: 'settled',
      ts: t,
      detections: [
        { label: 'tray', score: 0.97, box: [100.4, 50.2, 400, 300] },
        { label: 'fries', score: 0.51234, box: [150, 80, 200, 140], uncertain: true },
        { label: 'burger', score: 0.9381, box: [210, 90, 300, 180] },
      ],
    });
    observations.insert({ ...obs, phase: 'departed', ts: t + 3000, detections: [] });
    const a = h.alerts.raise(
      makeVerdict({ orderId: '3001', trayId: 'expo-41', ts: t, missing: { drink: 1 }, uncertain: ['fries'] }),
    );
    const d = (await get(`/api/verdicts/${a.verdict.id}`)).json<{ detections: unknown }>();
    expect(d.detections).toEqual([
      { label: 'burger', name: 'Burger', score: 0.938, uncertain: false, box: [210, 90, 300, 180] },
      { label: 'fries', name: 'Fries', score: 0.512, uncertain: true, box: [150, 80, 200, 140] },
      { label: 'tray', name: 'Tray', score: 0.97, uncertain: false, box: [100, 50, 400, 300] },
    ]);
    // A verdict whose tray left no stored detections says so instead of guessing.
    const b = h.alerts.raise(makeVerdict({ orderId: '3002', trayId: 'expo-99', missing: { burger: 1 } }));
    expect(
      (await get(`/api/verdicts/${b.verdict.id}`)).json<{ detections: unknown }>().detections,
    ).toBeNull();
  });

  it('exports the search as CSV, formulas defused, same filters', async () => {
    const res = await get('/api/verdicts.csv?item=fries');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'time,order,camera,tray,result,link,missing,extra,alert,resolution,acknowledged_by,acknowledged_at,snapshot',
    );
    expect(lines).toHaveLength(2);
    const cells = lines[1]!.split(',');
    expect(cells[1]).toBe("'=1+1"); // a spreadsheet shows it, never runs it
    expect(cells.slice(4, 8)).toEqual(['mismatch', 'ready', '1 x Fries', '1 x Cola']);
    expect(cells[10]).toBe('sam');
    expect((await h.app.inject({ url: '/api/verdicts.csv' })).statusCode).toBe(401);
  });
});
