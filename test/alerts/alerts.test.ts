import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerts, type Alerts } from '../../src/alerts/index.js';
import { createEventBus } from '../../src/events.js';
import { silentLogger } from '../../src/log.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createSnapshotStore } from '../../src/store/snapshots.js';
import type { Alert, Frame, LabelCounts, TrayObservation, Verdict } from '../../src/types.js';
import { tempDir } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const T0 = 1_700_000_000_000;

interface Rig {
  dir: string;
  db: Db;
  alerts: Alerts;
  busAlerts: Alert[];
  busVerdicts: Verdict[];
  published: { kind: string; payload: object }[];
  clock: { now: number };
}

let rig: Rig;
const cleanup: (() => void | Promise<void>)[] = [];

function makeRig(dir = tempDir(), extra: Partial<Parameters<typeof createAlerts>[0]> = {}): Rig {
  const db = openDatabase(join(dir, 'traycheck.db'));
  const bus = createEventBus(silentLogger());
  const busAlerts: Alert[] = [];
  const busVerdicts: Verdict[] = [];
  const published: { kind: string; payload: object }[] = [];
  bus.on('alert', 'test', (a) => void busAlerts.push(a));
  bus.on('verdict', 'test', (v) => void busVerdicts.push(v));
  const clock = { now: T0 };
  const alerts = createAlerts({
    db,
    bus,
    log: silentLogger(),
    publish: (kind, payload) => published.push({ kind, payload }),
    now: () => clock.now,
    ...extra,
  });
  alerts.start();
  cleanup.push(async () => {
    await alerts.stop();
    db.close();
  });
  return { dir, db, alerts, busAlerts, busVerdicts, published, clock };
}

beforeEach(() => {
  rig = makeRig();
  const dir = rig.dir;
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function verdict(
  result: Verdict['result'],
  missing: LabelCounts = {},
  extra: LabelCounts = {},
  o: Partial<Verdict> = {},
): Verdict {
  const expected = { burger: 1, fries: 1, drink: 1 };
  return {
    trayId: 'expo-1',
    cameraId: 'expo',
    orderId: '1001',
    orderVersion: 1,
    link: 'ready',
    result,
    expected,
    observed: expected,
    missing,
    extra,
    unverifiable: [],
    uncertain: [],
    ts: rig.clock.now,
    settledTs: rig.clock.now - 85,
    ...o,
  };
}
const mismatch = (missing: LabelCounts, extra: LabelCounts = {}, o: Partial<Verdict> = {}): Verdict =>
  verdict('mismatch', missing, extra, o);
const departed = (trayId = 'expo-1'): TrayObservation => ({
  cameraId: 'expo',
  trayId,
  station: 'expo',
  phase: 'departed',
  items: {},
  uncertain: [],
  ts: rig.clock.now,
});
const count = (sql: string): number => (rig.db.prepare(sql).get() as { n: number }).n;

describe('alert lifecycle', () => {
  it('a mismatch opens an alert at once: stored, emitted, published, with latency', () => {
    rig.clock.now += 30;
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }));
    expect(a).toMatchObject({
      status: 'open',
      trayId: 'expo-1',
      orderId: '1001',
      openedAt: rig.clock.now,
      latencyMs: 85,
      resolution: null,
    });
    expect(a?.verdict).toMatchObject({ result: 'mismatch', missing: { fries: 1 } });
    expect(a?.verdict.id).toBeGreaterThan(0);
    expect(count('SELECT COUNT(*) AS n FROM verdicts')).toBe(1);
    expect(count("SELECT COUNT(*) AS n FROM alerts WHERE status = 'open'")).toBe(1);
    expect(rig.busVerdicts).toHaveLength(1);
    expect(rig.busVerdicts[0]?.id).toBe(a?.verdict.id);
    expect(rig.busAlerts.map((x) => x.id)).toEqual([a?.id]);
    expect(rig.published.map((p) => p.kind)).toEqual(['verdict', 'alert']);
    expect(rig.alerts.listOpen().map((x) => x.id)).toEqual([a?.id]);
    expect(rig.alerts.get(a!.id)).toEqual(a);
    expect(rig.alerts.countOpen()).toBe(1);
  });

  it('ok, uncertain and unlinked verdicts are stored and published but open nothing', () => {
    for (const r of ['ok', 'uncertain', 'unlinked'] as const) {
      expect(
        rig.alerts.handleVerdict(
          verdict(r, r === 'uncertain' ? { fries: 1 } : {}, {}, { uncertain: ['fries'] }),
        ),
      ).toBeNull();
    }
    expect(count('SELECT COUNT(*) AS n FROM verdicts')).toBe(3);
    expect(count('SELECT COUNT(*) AS n FROM alerts')).toBe(0);
    expect(rig.busAlerts).toEqual([]);
    expect(rig.published.map((p) => p.kind)).toEqual(['verdict', 'verdict', 'verdict']);
  });

  it('no storm: the same mismatch settling 20 times is one alert', () => {
    const first = rig.alerts.handleVerdict(mismatch({ fries: 1 }, { drink: 1 }));
    for (let i = 0; i < 20; i++) {
      rig.clock.now += 1000;
      expect(rig.alerts.handleVerdict(mismatch({ fries: 1 }, { drink: 1 }))).toBeNull();
    }
    expect(count('SELECT COUNT(*) AS n FROM alerts')).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM verdicts')).toBe(21);
    expect(rig.busAlerts).toHaveLength(1);
    expect(rig.published.filter((p) => p.kind === 'alert')).toHaveLength(1);
    expect(rig.alerts.get(first!.id)?.verdict.id).toBe(first?.verdict.id);
  });

  it('a different mismatch updates the one alert', () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }))!;
    rig.clock.now += 2000;
    const b = rig.alerts.handleVerdict(mismatch({ fries: 1, drink: 1 }));
    expect(b).toMatchObject({ id: a.id, status: 'open', openedAt: a.openedAt, latencyMs: a.latencyMs });
    expect(b?.verdict.missing).toEqual({ fries: 1, drink: 1 });
    expect(b?.verdict.id).not.toBe(a.verdict.id);
    expect(count('SELECT COUNT(*) AS n FROM alerts')).toBe(1);
    expect(rig.busAlerts.map((x) => x.id)).toEqual([a.id, a.id]);
    // the same extra with a different order is a different mismatch too
    const c = rig.alerts.handleVerdict(mismatch({ fries: 1, drink: 1 }, {}, { orderId: '1002' }));
    expect(c).toMatchObject({ id: a.id, orderId: '1002' });
  });

  it('the tray settling ok resolves the alert as corrected', () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }))!;
    rig.clock.now += 5000;
    const r = rig.alerts.handleVerdict(verdict('ok'));
    expect(r).toMatchObject({
      id: a.id,
      status: 'resolved',
      resolution: 'corrected',
      resolvedAt: rig.clock.now,
    });
    expect(rig.alerts.listOpen()).toEqual([]);
    // departing afterwards changes nothing
    expect(rig.alerts.handleDeparted(departed())).toBeNull();
    expect(rig.alerts.get(a.id)?.resolution).toBe('corrected');
  });

  it('the tray settling ok on another order (relinked) resolves the alert as relinked, not corrected', () => {
    const a = rig.alerts.handleVerdict(mismatch({ burger: 1 }, {}, { orderId: '1174' }))!;
    rig.clock.now += 1000;
    const r = rig.alerts.handleVerdict(verdict('ok', {}, {}, { orderId: '1173' }));
    expect(r).toMatchObject({ id: a.id, status: 'resolved', resolution: 'relinked' });
    expect(rig.alerts.listOpen()).toEqual([]);
  });

  it('an uncertain verdict after a mismatch leaves the alert open', () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }))!;
    expect(
      rig.alerts.handleVerdict(verdict('uncertain', { fries: 1 }, {}, { uncertain: ['fries'] })),
    ).toBeNull();
    expect(rig.alerts.get(a.id)?.status).toBe('open');
  });

  it('the tray departing with the alert open → served-with-error', () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }))!;
    rig.clock.now += 9000;
    expect(rig.alerts.handleDeparted(departed())).toMatchObject({
      id: a.id,
      status: 'resolved',
      resolution: 'served-with-error',
      resolvedAt: rig.clock.now,
    });
    expect(rig.busAlerts.map((x) => x.status)).toEqual(['open', 'resolved']);
  });

  it('a departure without an alert does nothing', () => {
    rig.alerts.handleVerdict(verdict('ok'));
    expect(rig.alerts.handleDeparted(departed())).toBeNull();
    expect(rig.busAlerts).toEqual([]);
  });

  it('acknowledge: open → acknowledged; the tray still resolves it', () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }))!;
    rig.clock.now += 1500;
    const ack = rig.alerts.acknowledge(a.id, 'maria');
    expect(ack).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'maria',
      acknowledgedAt: rig.clock.now,
      resolution: null,
    });
    rig.clock.now += 100;
    expect(rig.alerts.acknowledge(a.id, 'joe')).toMatchObject({ acknowledgedBy: 'maria' });
    expect(rig.busAlerts.map((x) => x.status)).toEqual(['open', 'acknowledged']);
    expect(rig.alerts.listOpen().map((x) => x.status)).toEqual(['acknowledged']);
    expect(rig.alerts.countOpen()).toBe(0);
    // the same mismatch again: still one alert, still acknowledged
    expect(rig.alerts.handleVerdict(mismatch({ fries: 1 }))).toBeNull();
    expect(rig.alerts.handleDeparted(departed())).toMatchObject({
      status: 'resolved',
      resolution: 'served-with-error',
      acknowledgedBy: 'maria',
    });
    expect(rig.alerts.acknowledge(a.id, 'joe')).toMatchObject({ status: 'resolved' });
    expect(rig.alerts.acknowledge(9999, 'joe')).toBeNull();
  });

  it('an acknowledged alert resolves corrected when the tray is fixed', () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }))!;
    rig.alerts.acknowledge(a.id, 'maria');
    expect(rig.alerts.handleVerdict(verdict('ok'))).toMatchObject({ id: a.id, resolution: 'corrected' });
  });

  it('a new mismatch after a correction is a new alert', () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }))!;
    rig.alerts.handleVerdict(verdict('ok'));
    const b = rig.alerts.handleVerdict(mismatch({ fries: 1 }));
    expect(b?.id).not.toBe(a.id);
    expect(b?.status).toBe('open');
  });

  it('trays have their own alerts', () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }, {}, { trayId: 'expo-1' }))!;
    const b = rig.alerts.handleVerdict(mismatch({ fries: 1 }, {}, { trayId: 'expo-2', orderId: '1002' }))!;
    expect(a.id).not.toBe(b.id);
    rig.alerts.handleVerdict(verdict('ok', {}, {}, { trayId: 'expo-2', orderId: '1002' }));
    expect(rig.alerts.get(a.id)?.status).toBe('open');
    expect(rig.alerts.get(b.id)?.resolution).toBe('corrected');
  });

  it('a publish that throws does not stop the lifecycle', () => {
    const other = makeRig(rig.dir + '-x', {
      publish: () => {
        throw new Error('broker gone');
      },
    });
    cleanup.push(() => rmSync(other.dir, { recursive: true, force: true }));
    expect(other.alerts.handleVerdict(mismatch({ fries: 1 }))?.status).toBe('open');
    expect(other.alerts.health().state).toBe('ok');
  });

  it('health counts alerts', () => {
    rig.alerts.handleVerdict(mismatch({ fries: 1 }));
    expect(rig.alerts.health()).toMatchObject({
      state: 'ok',
      data: { open: 1, acknowledged: 0, verdictsThisRun: 1, alertsOpenedThisRun: 1, lastLatencyMs: 85 },
    });
  });
});

describe('after a restart', () => {
  it('acknowledged alerts of the previous run resolve at start; open ones stay until acknowledged', async () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }, {}, { trayId: 'expo-1' }))!;
    const b = rig.alerts.handleVerdict(mismatch({ drink: 1 }, {}, { trayId: 'expo-2' }))!;
    rig.alerts.acknowledge(b.id, 'maria');
    await rig.alerts.stop();

    const bus = createEventBus(silentLogger());
    const seen: Alert[] = [];
    bus.on('alert', 'test', (x) => void seen.push(x));
    const again = createAlerts({ db: rig.db, bus, log: silentLogger(), now: () => rig.clock.now });
    again.start();
    expect(again.get(b.id)).toMatchObject({ status: 'resolved', resolution: 'acknowledged' });
    expect(again.listOpen().map((x) => x.id)).toEqual([a.id]);
    expect(again.acknowledge(a.id, 'joe')).toMatchObject({
      status: 'resolved',
      resolution: 'acknowledged',
      acknowledgedBy: 'joe',
    });
    expect(seen.map((x) => `${x.id}:${x.status}`)).toEqual([`${b.id}:resolved`, `${a.id}:resolved`]);
    await again.stop();
  });
});

describe('snapshots with alerts', () => {
  it('a mismatch that opens an alert with a frame stores a snapshot and attaches it', async () => {
    const db = rig.db;
    const snapshots = createSnapshotStore({
      dir: join(rig.dir, 'snapshots'),
      db,
      log: silentLogger(),
      config: {
        retentionDays: 14,
        maxBytes: 50_000_000,
        zoneOnly: true,
        jpegQuality: 70,
        diskReserveBytes: 0,
      },
    });
    await snapshots.start();
    const bus = createEventBus(silentLogger());
    const seen: Alert[] = [];
    bus.on('alert', 'test', (x) => void seen.push(x));
    const alerts = createAlerts({
      db,
      bus,
      log: silentLogger(),
      snapshots,
      zones: {
        expo: [
          [0.1, 0.1],
          [0.9, 0.1],
          [0.9, 0.9],
          [0.1, 0.9],
        ],
      },
      now: () => rig.clock.now,
    });
    alerts.start();
    const frame: Frame = {
      cameraId: 'expo',
      seq: 12,
      ts: T0,
      width: 160,
      height: 90,
      data: Buffer.alloc(160 * 90 * 3, 90),
    };
    const obs: TrayObservation = {
      ...departed(),
      phase: 'settled',
      items: { burger: 1 },
      box: [20, 10, 140, 80],
      detections: [
        { label: 'tray', score: 0.9, box: [20, 10, 140, 80] },
        { label: 'burger', score: 0.8, box: [30, 20, 60, 50] },
      ],
    };
    const a = alerts.handleVerdict(mismatch({ fries: 1 }), obs, frame)!;
    expect(a.snapshotId ?? null).toBeNull();
    const attached = await waitFor(() => seen.find((x) => x.id === a.id && x.snapshotId), {
      timeoutMs: 20_000,
      message: 'alert with snapshot',
    });
    const file = snapshots.path(attached.snapshotId!);
    expect(file && existsSync(file)).toBe(true);
    expect(alerts.get(a.id)?.verdict.snapshotId).toBe(attached.snapshotId);
    // the same mismatch again takes no new picture; a different one does
    alerts.handleVerdict(mismatch({ fries: 1 }), obs, frame);
    alerts.handleVerdict(mismatch({ fries: 1, drink: 1 }), obs, frame);
    await alerts.stop();
    expect(count('SELECT COUNT(*) AS n FROM snapshots')).toBe(2);
    expect(count('SELECT COUNT(DISTINCT snapshot_id) AS n FROM verdicts WHERE snapshot_id IS NOT NULL')).toBe(
      2,
    );
    snapshots.stop();
  });

  it('with snapshotEveryVerdict an OK tray gets its picture too, captioned by the caller', async () => {
    const snapshots = createSnapshotStore({
      dir: join(rig.dir, 'snapshots-all'),
      db: rig.db,
      log: silentLogger(),
      config: {
        retentionDays: 14,
        maxBytes: 50_000_000,
        zoneOnly: false,
        jpegQuality: 70,
        diskReserveBytes: 0,
      },
    });
    await snapshots.start();
    const captions: string[] = [];
    const alerts = createAlerts({
      db: rig.db,
      bus: createEventBus(silentLogger()),
      log: silentLogger(),
      snapshots,
      snapshotEveryVerdict: true,
      caption: (v) => {
        const c = `menu words for ${Object.keys(v.missing).join(',') || 'an OK tray'}`;
        captions.push(c);
        return c;
      },
      now: () => rig.clock.now,
    });
    alerts.start();
    const frame: Frame = {
      cameraId: 'expo',
      seq: 1,
      ts: T0,
      width: 160,
      height: 90,
      data: Buffer.alloc(160 * 90 * 3, 90),
    };
    const okVerdict = { ...mismatch({}), result: 'ok' as const };
    expect(alerts.handleVerdict(okVerdict, undefined, frame)).toBeNull();
    alerts.handleVerdict(mismatch({ fries: 1 }), undefined, frame);
    await alerts.stop();
    const rows = rig.db
      .prepare<[], { result: string; snapshot_id: string | null }>(
        'SELECT result, snapshot_id FROM verdicts ORDER BY id',
      )
      .all();
    expect(rows.map((r) => r.result)).toEqual(['ok', 'mismatch']);
    expect(rows.every((r) => r.snapshot_id !== null)).toBe(true);
    expect(captions).toEqual(['menu words for an OK tray', 'menu words for fries']);
    snapshots.stop();
  });

  it('no frame or no snapshot store: the alert opens without a picture', async () => {
    const a = rig.alerts.handleVerdict(mismatch({ fries: 1 }), undefined, undefined);
    await rig.alerts.stop();
    expect(a?.snapshotId ?? null).toBeNull();
    expect(rig.busAlerts).toHaveLength(1);
  });
});
