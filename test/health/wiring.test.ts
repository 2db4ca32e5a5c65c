// The daemon's health stage with real parts: SQLite file, systemd-notify to a test-owned socket,
// the event bus. A stalled pipeline shows in the report and in systemd's STATUS, and stops heartbeats.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/events.js';
import { createHealthWiring, type HealthWiring } from '../../src/health/wiring.js';
import { silentLogger } from '../../src/log.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import type { Frame } from '../../src/types.js';
import { waitFor } from '../helpers/wait.js';
import { openNotifySocket, type NotifySocket } from './notify-socket.js';

const haveNotify = existsSync('/usr/bin/systemd-notify') || existsSync('/bin/systemd-notify');
if (!haveNotify) console.warn('SKIPPED: systemd-notify is not installed; the health wiring test needs it');

let dir = '';
let db: Db | null = null;
let sock: NotifySocket | null = null;
let wiring: HealthWiring | null = null;
afterEach(async () => {
  await wiring?.stop();
  await sock?.close();
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  wiring = sock = db = null;
});

const frame = (seq: number): Frame => ({
  cameraId: 'expo',
  seq,
  ts: Date.now(),
  width: 2,
  height: 2,
  data: Buffer.alloc(12),
});

describe.skipIf(!haveNotify)('createHealthWiring', () => {
  it('reports, notifies systemd, feeds the watchdog from progress and runs retention and the tick', async () => {
    dir = mkdtempSync(join(tmpdir(), 'traycheck-wiring-'));
    db = openDatabase(join(dir, 'traycheck.db'));
    sock = await openNotifySocket(join(dir, 'notify.sock'));
    const bus = createEventBus(silentLogger());
    let processed = 0;
    let expired = 0;
    wiring = createHealthWiring({
      run: { version: '9.9.9', startedAt: Date.now() },
      storage: { dataDir: dir, diskReserveBytes: 1, verdictRetentionDays: 30, retentionIntervalMin: 10 },
      store: { db },
      stages: {
        providers: { cameras: () => ({ state: 'ok', detail: '1 online' }) },
        pipeline: { processed: () => processed, bus, expire: () => void expired++, tickMs: 50 },
      },
      core: {
        log: silentLogger(),
        systemd: { env: { NOTIFY_SOCKET: sock.address, WATCHDOG_USEC: '600000' } },
      },
    });
    await wiring.start();
    expect(db.prepare("SELECT value FROM meta WHERE key = 'retention.lastRunAt'").pluck().get()).toBeTruthy();
    wiring.ready();
    await sock.waitFor('READY=1');

    const r = wiring.report();
    expect(r.status).toBe('ok');
    expect(Object.keys(r.components)).toEqual(['cameras', 'db', 'disk', 'pipeline']);

    // Frames arrive and are processed: heartbeats flow.
    let seq = 0;
    const feed = setInterval(() => {
      bus.emit('frame', frame(++seq));
      processed++;
    }, 20);
    try {
      await sock.waitFor('WATCHDOG=1', 2);
    } finally {
      clearInterval(feed);
    }
    await waitFor(() => expired >= 3, { message: 'tray expiry tick' });

    // Frames keep arriving, nothing is processed: the pipeline component goes down, systemd is told.
    const stall = setInterval(() => bus.emit('frame', frame(++seq)), 20);
    try {
      await waitFor(() => wiring?.report().components.pipeline?.state === 'down', {
        message: 'pipeline down',
      });
      await sock.waitFor('STATUS=degraded: pipeline down');
    } finally {
      clearInterval(stall);
    }
    expect(wiring.report().status).toBe('degraded');

    wiring.stopping();
    await sock.waitFor('STOPPING=1');
  });
});
