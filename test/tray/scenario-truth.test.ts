// The tray → verify → alert logic on every checked-in scenario, fed with the renderer's own
// label boxes (what a perfect detector would report; the detector itself is tested elsewhere).
// Correct trays must raise no alert; each wrong tray raises one alert that resolves the way
// the scenario's truth says.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { alertActionFor, departureAction, type ActiveMismatch } from '../../src/alerts/lifecycle.js';
import type { Menu } from '../../src/config/schema.js';
import { composeScene } from '../../src/sim/render/compose.js';
import { MIN_VISIBLE_FRACTION } from '../../src/sim/render/index.js';
import { visibleObjects } from '../../src/sim/render/mask.js';
import { sceneAt } from '../../src/sim/scenario-camera.js';
import {
  orderItemsAt,
  parseScenario,
  scenarioDurationS,
  truthError,
  type Scenario,
} from '../../src/sim/scenario.js';
import { createTrayTracker } from '../../src/tray/index.js';
import type { Order, OrderStatus, TrayObservation, Verdict } from '../../src/types.js';
import { createVerifier } from '../../src/verify/index.js';
import { trayConfig, WHOLE_FRAME } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'test', 'scenarios');
const MENU = (parse(readFileSync(join(ROOT, 'config', 'traycheck.example.yaml'), 'utf8')) as { menu: Menu })
  .menu;
for (const item of Object.values(MENU)) {
  item.contains ??= {};
  item.verify ??= true;
}
const T0 = 1_800_000_000_000;

interface Outcome {
  alerts: { tray: string; resolution: string | null; missing: string[]; extra: string[] }[];
  verdicts: Verdict[];
}

function play(sc: Scenario): Outcome {
  const tracker = createTrayTracker({
    cameraId: 'expo',
    station: sc.station,
    zone: WHOLE_FRAME,
    config: trayConfig(),
    scoreThreshold: 0.4,
  });
  const verifier = createVerifier({
    menu: MENU,
    config: { bestMatchWindowMin: 30, maxBestMatchDiff: 3, jointLinkWindowMs: 3000 },
    // like the daemon: a tray relinked to another order is judged again (linking rule d)
    onRelinked: (v) => onVerdict(v),
  });
  const marks = new Map<string, OrderStatus>();
  const versions = new Map<string, number>();
  const ordersAt = (tS: number): Order[] =>
    sc.orders.flatMap((o) => {
      const items = orderItemsAt(o, tS);
      if (tS < o.at) return [];
      const version = 1 + o.updates.filter((u) => tS >= u.at).length;
      let status: OrderStatus = o.readyAt !== undefined && tS >= o.readyAt ? 'ready' : 'open';
      if (marks.has(o.id) && versions.get(o.id) === version) status = marks.get(o.id)!;
      if (o.servedAt !== undefined && tS >= o.servedAt) status = 'served';
      if (!items) status = 'cancelled';
      return [
        {
          orderId: o.id,
          version,
          station: sc.station,
          items: items ?? o.items,
          status,
          placedAt: T0 + o.at * 1000,
          readyAt: o.readyAt !== undefined && tS >= o.readyAt ? T0 + o.readyAt * 1000 : null,
          updatedAt: T0 + tS * 1000,
        },
      ];
    });

  const active = new Map<string, { alert: number; m: ActiveMismatch }>();
  const out: Outcome = { alerts: [], verdicts: [] };
  const trayOf = new Map<string, string>(); // tracker tray id → scenario tray id (by order)
  const onVerdict = (v: Verdict): void => {
    out.verdicts.push(v);
    if (v.orderId && (v.result === 'ok' || v.result === 'mismatch')) {
      marks.set(v.orderId, v.result === 'ok' ? 'verified' : 'mismatch');
      versions.set(v.orderId, v.orderVersion ?? 1);
      const st = sc.trays.find((t) => t.order === v.orderId);
      if (st) trayOf.set(v.trayId, st.id);
    }
    const a = active.get(v.trayId);
    const action = alertActionFor(a?.m ?? null, v);
    const name = trayOf.get(v.trayId) ?? v.trayId;
    if (action.kind === 'open') {
      out.alerts.push({
        tray: name,
        resolution: null,
        missing: Object.keys(v.missing),
        extra: Object.keys(v.extra),
      });
      active.set(v.trayId, { alert: out.alerts.length - 1, m: v });
    } else if (action.kind === 'update' && a) {
      // a relinked tray's alert now names the tray of its new order
      Object.assign(out.alerts[a.alert]!, {
        tray: name,
        missing: Object.keys(v.missing),
        extra: Object.keys(v.extra),
      });
      active.set(v.trayId, { ...a, m: v });
    } else if (action.kind === 'resolve' && a) {
      out.alerts[a.alert]!.resolution = action.resolution;
      active.delete(v.trayId);
    }
  };
  const seenVersions = new Map<string, number>();
  const frames = Math.ceil(scenarioDurationS(sc) * sc.fps) + 2 * sc.fps;
  for (let seq = 0; seq < frames; seq++) {
    const tS = seq / sc.fps;
    const ts = T0 + Math.round(tS * 1000);
    const orders = ordersAt(tS);
    for (const o of orders) {
      if (
        (seenVersions.get(o.orderId) ?? 1) < o.version ||
        (o.status === 'cancelled' && seenVersions.get(o.orderId) !== -1)
      ) {
        seenVersions.set(o.orderId, o.status === 'cancelled' ? -1 : o.version);
        for (const v of verifier.reverify(o, orders, ts)) onVerdict(v);
      } else if (!seenVersions.has(o.orderId)) seenVersions.set(o.orderId, o.version);
    }
    const { layers } = composeScene(sceneAt(sc, tS, seq));
    const detections = visibleObjects(layers, sc.width, sc.height, MIN_VISIBLE_FRACTION).map((o) => ({
      label: o.label,
      box: o.box,
      score: 0.9,
    }));
    const obs: TrayObservation[] = tracker.update({
      cameraId: 'expo',
      seq,
      ts,
      width: sc.width,
      height: sc.height,
      detections,
      inferenceMs: 1,
    });
    for (const o of obs) {
      if (o.phase === 'departed') {
        const a = active.get(o.trayId);
        const action = departureAction(a?.m ?? null);
        if (action.kind === 'resolve' && a) out.alerts[a.alert]!.resolution = action.resolution;
        active.delete(o.trayId);
        verifier.verify(o, orders, ts);
        continue;
      }
      // like the daemon: only the linkable orders (ready, open); the verifier remembers the linked one
      const v = verifier.verify(
        o,
        ordersAt(tS).filter((x) => x.status === 'ready' || x.status === 'open'),
        ts,
      );
      if (v) onVerdict(v);
    }
  }
  return out;
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('scenarios with ground-truth boxes', () => {
  it.each(files)('%s', (file) => {
    const sc = parseScenario(readFileSync(join(DIR, file), 'utf8'), file);
    const out = play(sc);
    const wrong = sc.trays.filter((t) => truthError(sc.truth[t.id]) !== null);
    const alerted = new Set(out.alerts.map((a) => a.tray));
    // every tray settled and got a verdict linked to its own order
    for (const t of sc.trays) {
      expect(
        out.verdicts.some((v) => v.orderId === t.order),
        `tray ${t.id} verified against ${t.order}`,
      ).toBe(true);
    }
    expect(out.verdicts.filter((v) => v.result === 'unlinked')).toEqual([]);
    for (const t of sc.trays) {
      const kind = truthError(sc.truth[t.id]);
      const mine = out.alerts.filter((a) => a.tray === t.id);
      if (!kind) {
        expect(mine, `correct tray ${t.id} raised no alert`).toEqual([]);
        continue;
      }
      expect(mine, `wrong tray ${t.id} (${kind}) raised exactly one alert`).toHaveLength(1);
      const a = mine[0]!;
      if (kind === 'corrected') expect(a.resolution).toBe('corrected');
      else expect(a.resolution).toBe('served-with-error');
      if (kind === 'missing') expect(a.missing.length).toBeGreaterThan(0);
      if (kind === 'extra') expect(a.extra.length).toBeGreaterThan(0);
      if (kind === 'wrong') expect(a.missing.length * a.extra.length).toBeGreaterThan(0);
    }
    expect(alerted.size).toBe(wrong.length);
  });
});
