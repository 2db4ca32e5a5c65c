// Starts a real dashboard (real fastify on port 0, real SQLite file, real event bus) with small
// stand-ins for the stages other helpers build (alerts over the real tables, a fake camera list).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { DashboardSection } from '../../src/config/sections/dashboard.js';
import type { DashboardConfig } from '../../src/config/schema.js';
import { createDashboard } from '../../src/dashboard/index.js';
import type { DashboardDeps, LiveTray } from '../../src/dashboard/types.js';
import { createEventBus } from '../../src/events.js';
import type { HealthReport } from '../../src/health/types.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { openDatabase } from '../../src/store/db.js';
import type { ProbeResult } from '../../src/mqtt/client.js';
import type { CameraStatus, Frame } from '../../src/types.js';
import { tempDir } from '../helpers/daemon.js';
import type { Static } from '@sinclair/typebox';
import type { AlertDto, ManagerStats, OrderRow, VerdictRow } from '../../src/dashboard/schemas.js';
import { createFakeAlerts } from './fake-alerts.js';

export const MENU = {
  COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 }, verify: true },
  FRIES: { name: 'Fries', contains: { fries: 1 }, verify: true },
  COLA: { name: 'Cola', contains: { drink: 1 }, verify: true },
  GIFT: { name: 'Gift card', contains: {}, verify: false },
};

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Reply shapes, for typed `res.json<T>()` in tests. */
export type AlertList = { alerts: Static<typeof AlertDto>[] };
export type Stats = Static<typeof ManagerStats>;
export type VerdictPage = {
  items: Static<typeof VerdictRow>[];
  total: number;
  page: number;
  pageSize: number;
};
export type OrderList = { orders: Static<typeof OrderRow>[] };
export type ErrorBody = { error: string };
export interface OpenApiDoc {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        parameters: { name: string }[];
        requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
      }
    >
  >;
}

export async function startHarness(
  opts: {
    config?: Partial<DashboardConfig>;
    dir?: string;
    log?: Logger;
    /** More deps (e.g. teachFrames), given the data folder. */
    extra?: (dir: string) => Partial<DashboardDeps>;
  } = {},
) {
  const dir = opts.dir ?? tempDir('traycheck-dash-');
  mkdirSync(join(dir, 'snapshots'), { recursive: true });
  mkdirSync(join(dir, 'schemas'), { recursive: true });
  writeFileSync(
    join(dir, 'schemas', 'pos-order-placed.json'),
    JSON.stringify({ $id: 'pos-order-placed', type: 'object' }),
  );
  const db = openDatabase(join(dir, 'traycheck.db'));
  const log = opts.log ?? silentLogger();
  const bus = createEventBus(log);
  const alerts = createFakeAlerts(db, bus);
  const state = {
    health: {
      status: 'ok',
      version: '0.1.0-test',
      startedAt: Date.now(),
      uptimeS: 1,
      components: { camera: { state: 'ok', detail: 'online' } },
    } as HealthReport,
    cameras: [
      {
        cameraId: 'expo',
        state: 'online',
        since: Date.now(),
        fps: 5,
        framesTotal: 10,
        framesDropped: 2,
        lastFrameTs: Date.now(),
        lastError: null,
        restarts: 0,
      },
    ] as CameraStatus[],
    frame: null as Frame | null,
    trays: [] as LiveTray[],
    snapshotCalls: [] as string[],
    reconnects: [] as Array<{ cameraId: string; reason: string }>,
    brokerProbe: null as null | ((timeoutMs: number) => Promise<ProbeResult>),
  };
  const config = {
    ...(Value.Default(DashboardSection, {}) as DashboardConfig),
    port: 0,
    bind: '127.0.0.1',
    ...opts.config,
  };
  const dash = createDashboard({
    config,
    site: { store: { id: 'store-1', name: 'Test Diner' }, version: '0.1.0-test', menu: MENU },
    core: { db, bus, log },
    files: {
      dataDir: dir,
      schemasDir: join(dir, 'schemas'),
      snapshotPath: (id) => {
        state.snapshotCalls.push(id);
        return /^[a-f0-9]{8,64}$/.test(id) ? join(dir, 'snapshots', `${id}.jpg`) : null;
      },
    },
    alerts,
    cameras: {
      statuses: () => state.cameras,
      latestFrame: () => state.frame,
      zones: () => ({
        expo: [
          [0.05, 0.05],
          [0.95, 0.05],
          [0.95, 0.95],
          [0.05, 0.95],
        ],
      }),
      liveTrays: () => state.trays,
      reconnect: (cameraId, reason) => {
        if (!state.cameras.some((c) => c.cameraId === cameraId)) return false;
        state.reconnects.push({ cameraId, reason });
        return true;
      },
    },
    tech: {
      health: () => state.health,
      testBroker: (timeoutMs) =>
        state.brokerProbe?.(timeoutMs) ?? Promise.resolve({ ok: false, error: 'no broker in this harness' }),
      model: () => ({
        name: 'traycheck-det',
        path: 'models/traycheck-det.onnx',
        sha256: 'ab'.repeat(32),
        labels: ['tray', 'burger', 'fries', 'drink'],
        family: 'traycheck',
        version: '1',
      }),
      effectiveConfig: () => ({
        store: { id: 'store-1' },
        mqtt: { password: '********' },
        storage: { snapshotRetentionDays: 14, verdictRetentionDays: 90 },
      }),
      configSchema: { $schema: 'http://json-schema.org/draft-07/schema#', title: 'traycheck configuration' },
    },
    ...opts.extra?.(dir),
  });
  const { url } = await dash.start();
  return {
    dir,
    db,
    bus,
    alerts,
    state,
    dash,
    url,
    app: dash.app(),
    async stop() {
      await dash.stop();
      db.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The session cookie value from a login/setup response. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  const c = list.map(String).find((s) => s.startsWith('traycheck_session='));
  if (!c) throw new Error('no session cookie set');
  return c.split(';')[0]?.split('=')[1] ?? '';
}

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** Complete setup as admin and return the admin session. */
export async function setupAdmin(h: Harness, password = 'correct horse battery'): Promise<Session> {
  const token = h.dash.setupToken();
  if (!token) throw new Error('no setup token');
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/setup',
    payload: { token, username: 'admin', password },
  });
  if (res.statusCode !== 200) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  return toSession(res);
}

export async function login(h: Harness, username: string, password: string): Promise<Session> {
  const res = await h.app.inject({ method: 'POST', url: '/api/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return toSession(res);
}

/** The admin adds a staff user (as on /users); returns that user's session, logged in. */
export async function addStaff(
  h: Harness,
  admin: Session,
  username = 'sam',
  password = 'staff-password-1',
): Promise<Session> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: admin.headers,
    payload: { username, password },
  });
  if (res.statusCode !== 201) throw new Error(`adding ${username} failed: ${res.statusCode} ${res.body}`);
  return login(h, username, password);
}

function toSession(res: { headers: Record<string, unknown>; json(): unknown }): Session {
  const cookie = sessionCookie(res);
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie: `traycheck_session=${cookie}`, 'x-csrf-token': csrf } };
}
