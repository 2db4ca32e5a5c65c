// Staff mark an alert a false alarm: it resolves at once (who and when kept, published), and its
// tray raises no new alert until it leaves. Real SQLite, the real alerts stage.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlerts } from '../../src/alerts/index.js';
import { createEventBus } from '../../src/events.js';
import { silentLogger } from '../../src/log.js';
import { openDatabase } from '../../src/store/db.js';
import type { Alert, LabelCounts, Verdict } from '../../src/types.js';
import { tempDir } from '../helpers/daemon.js';

const T0 = 1_700_000_000_000;
const cleanup: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function rig() {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'traycheck.db'));
  const bus = createEventBus(silentLogger());
  const seen: Alert[] = [];
  const published: object[] = [];
  bus.on('alert', 'test', (a) => void seen.push(a));
  const clock = { now: T0 };
  const alerts = createAlerts({
    db,
    bus,
    log: silentLogger(),
    publish: (kind, payload) => kind === 'alert' && published.push(payload),
    now: () => clock.now,
  });
  alerts.start();
  cleanup.push(async () => {
    await alerts.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { alerts, seen, published, clock };
}

const mismatch = (missing: LabelCounts, trayId = 'expo-1', ts = T0): Verdict => ({
  trayId,
  cameraId: 'expo',
  orderId: '1001',
  link: 'ready',
  result: 'mismatch',
  expected: { burger: 1, fries: 1 },
  observed: { burger: 1 },
  missing,
  extra: {},
  unverifiable: [],
  uncertain: [],
  ts,
});

describe('false alarm', () => {
  it('resolves the alert at once with who and when, published like any alert change', () => {
    const r = rig();
    const a = r.alerts.handleVerdict(mismatch({ fries: 1 }));
    r.clock.now += 5_000;
    const fa = r.alerts.falseAlarm(a!.id, 'sam');
    expect(fa).toMatchObject({
      status: 'resolved',
      resolution: 'false-alarm',
      acknowledgedBy: 'sam',
      acknowledgedAt: T0 + 5_000,
      resolvedAt: T0 + 5_000,
    });
    expect(r.seen.at(-1)).toMatchObject({ id: a!.id, resolution: 'false-alarm' });
    expect(r.published.at(-1)).toMatchObject({ id: a!.id, resolution: 'false-alarm' });
    expect(r.alerts.listOpen()).toEqual([]);
    // Already resolved: returned unchanged, nothing emitted.
    const before = r.seen.length;
    expect(r.alerts.falseAlarm(a!.id, 'kim')).toMatchObject({ acknowledgedBy: 'sam' });
    expect(r.seen).toHaveLength(before);
    expect(r.alerts.falseAlarm(9999, 'sam')).toBeNull();
  });

  it('the tray raises no new alert until it leaves; then it may', () => {
    const r = rig();
    const a = r.alerts.handleVerdict(mismatch({ fries: 1 }));
    r.alerts.falseAlarm(a!.id, 'sam');
    expect(r.alerts.handleVerdict(mismatch({ fries: 1 }, 'expo-1', T0 + 1000))).toBeNull();
    expect(r.alerts.handleVerdict(mismatch({ burger: 1 }, 'expo-1', T0 + 2000))).toBeNull();
    // Another tray is not silenced.
    expect(r.alerts.handleVerdict(mismatch({ fries: 1 }, 'expo-2', T0 + 2000))).toMatchObject({
      status: 'open',
    });
    r.alerts.handleDeparted({
      cameraId: 'expo',
      trayId: 'expo-1',
      station: 'expo',
      phase: 'departed',
      items: {},
      uncertain: [],
      ts: T0 + 3000,
    });
    expect(r.alerts.handleVerdict(mismatch({ fries: 1 }, 'expo-1', T0 + 4000))).toMatchObject({
      status: 'open',
    });
  });

  it('an acknowledged alert can still be called a false alarm: the one who said so is kept', () => {
    const r = rig();
    const a = r.alerts.handleVerdict(mismatch({ fries: 1 }));
    r.alerts.acknowledge(a!.id, 'kim');
    r.clock.now += 60_000;
    expect(r.alerts.falseAlarm(a!.id, 'sam')).toMatchObject({
      resolution: 'false-alarm',
      acknowledgedBy: 'sam',
      acknowledgedAt: T0 + 60_000,
    });
  });
});
