// The pipeline's wiring with a real SQLite file: detections of two cameras → trays → verdicts,
// and an order update that re-verifies a tray still in view.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraConfig, TrayConfig, VerifyConfig } from '../src/config/schema.js';
import { CameraConfig as CameraSection } from '../src/config/sections/camera.js';
import { TraySection, VerifySection } from '../src/config/sections/tray.js';
import { createEventBus } from '../src/events.js';
import { silentLogger } from '../src/log.js';
import { createPipeline, type AlertSink } from '../src/pipeline.js';
import { openDatabase, type Db } from '../src/store/db.js';
import type { Frame, Order, TrayObservation, Verdict } from '../src/types.js';
import { H, W, trayWith, LEFT } from './tray/fixtures.js';
import { MENU } from './verify/fixtures.js';

const camera = (id: string, station: string): CameraConfig =>
  Value.Default(CameraSection, { id, station, source: 'sim:basic' }) as CameraConfig;

interface Settled {
  verdict: Verdict;
  obs: TrayObservation | undefined;
  frame: Frame | undefined;
}

describe('pipeline', () => {
  let dir: string;
  let db: Db | null = null;
  afterEach(() => {
    db?.close();
    db = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-verifies a tray with its own camera when another camera id is a prefix of it (expo / expo-2)', () => {
    dir = mkdtempSync(join(tmpdir(), 'traycheck-pipeline-'));
    db = openDatabase(join(dir, 'traycheck.db'));
    const bus = createEventBus(silentLogger());
    const settled: Settled[] = [];
    const alerts: AlertSink = {
      handleVerdict: (verdict, obs, frame) => (settled.push({ verdict, obs, frame }), null),
      handleDeparted: () => null,
    };
    const t0 = 1_700_000_000_000;
    let order: Order = {
      orderId: '1001',
      version: 1,
      station: null,
      items: [{ sku: 'COMBO1', qty: 1 }],
      status: 'ready',
      placedAt: t0 - 60_000,
      readyAt: t0 - 30_000,
      updatedAt: t0 - 30_000,
    };
    const pipeline = createPipeline({
      cameras: [camera('expo', 'front'), camera('expo-2', 'drive')],
      tray: Value.Default(TraySection, {}) as TrayConfig,
      verify: Value.Default(VerifySection, {}) as VerifyConfig,
      modifiers: {},
      menu: MENU,
      scoreThreshold: 0.4,
      bus,
      log: silentLogger(),
      db,
      orders: {
        candidates: () => [order],
        get: (id) => (id === order.orderId ? order : null),
        markVerified: () => undefined,
      },
      alerts,
      modelSha256: () => 'abc',
    });
    pipeline.start();
    // Both cameras send frames; only expo-2 sees a tray. Each frame's first pixel says its camera.
    const frameOf = (cameraId: string, seq: number, ts: number): Frame => ({
      cameraId,
      seq,
      ts,
      width: W,
      height: H,
      data: Buffer.from(cameraId),
    });
    for (let i = 0; i < 20; i++) {
      const ts = t0 + i * 200;
      for (const cameraId of ['expo', 'expo-2']) {
        bus.emit('frame', frameOf(cameraId, i, ts));
        bus.emit('detections', {
          cameraId,
          seq: i,
          ts,
          width: W,
          height: H,
          detections: cameraId === 'expo-2' ? trayWith(LEFT, ['burger', 'fries', 'drink']) : [],
          inferenceMs: 5,
        });
      }
    }
    expect(settled).toHaveLength(1);
    expect(settled[0]?.verdict).toMatchObject({ trayId: 'expo-2-1', cameraId: 'expo-2', result: 'ok' });

    // The order changes while the tray is still in view: the tray is judged again.
    order = {
      ...order,
      version: 2,
      items: [
        { sku: 'COMBO1', qty: 1 },
        { sku: 'BURGER', qty: 1 },
      ],
    };
    bus.emit('order', { ...order, updatedAt: t0 + 4000 });
    expect(settled).toHaveLength(2);
    const again = settled[1] as Settled;
    expect(again.verdict).toMatchObject({ trayId: 'expo-2-1', result: 'mismatch', missing: { burger: 1 } });
    expect(again.obs).toMatchObject({ cameraId: 'expo-2', trayId: 'expo-2-1', station: 'drive' });
    expect(again.frame?.cameraId).toBe('expo-2');
    expect(again.frame?.data.toString()).toBe('expo-2');
    pipeline.stop();
  });
});
