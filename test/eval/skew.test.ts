// Eval fidelity: a POS/KDS event at scenario time t reaches the daemon's order book when the tray
// stage is at the frame of time t — not when that frame is rendered, several frames earlier.
// Measured on the real daemon: for each stored event, the frames the tray stage had handled.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runScenario } from '../../src/eval/run.js';
import { silentLogger } from '../../src/log.js';
import { parseScenario } from '../../src/sim/scenario.js';
import type { Order } from '../../src/types.js';
import { ROOT } from '../helpers/daemon.js';

const loaded = loadConfig(join(ROOT, 'config', 'traycheck.example.yaml'), {});
// Motion gate off: every frame goes through the tray stage, so frames handled = frames of time.
// (With the gate on, a still counter skips frames, and an event waits for the next frame handled.)
const base = {
  ...loaded,
  config: { ...loaded.config, cameras: loaded.config.cameras.map((c) => ({ ...c, motionThreshold: 0 })) },
};

const sc = parseScenario(`
name: skew
seed: 5
fps: 5
orders:
  - { id: "1", at: 0, items: [{ sku: COMBO1, qty: 1 }], readyAt: 1.3, servedAt: 6.1 }
  - id: "2"
    at: 0.9
    items: [{ sku: BURGER, qty: 1 }]
    readyAt: 3.4
    updates: [{ at: 4.7, items: [{ sku: BURGER, qty: 1 }, { sku: FRIES, qty: 1 }] }]
  - { id: "3", at: 2.2, items: [{ sku: WRAP, qty: 1 }], cancelAt: 5.5 }
trays:
  - id: A
    order: "1"
    enter: 1.5
    leave: 6
    steps: [{ at: 0, items: { burger: 1, fries: 1, drink: 1 } }]
`);

/** Scenario time of the event that put the order in this state. */
function eventTimeS(o: Order): number | undefined {
  const so = sc.orders.find((x) => x.id === o.orderId);
  // verified / mismatch come from the daemon itself, not from the POS.
  if (!so || o.status === 'verified' || o.status === 'mismatch') return undefined;
  if (o.status === 'served') return so.servedAt;
  if (o.status === 'cancelled') return so.cancelAt;
  if (o.version > 1) return so.updates[o.version - 2]?.at;
  if (o.status === 'ready') return so.readyAt;
  return so.at;
}

describe('eval event timing', () => {
  it('delivers each order event after the frames before its scenario time and before the next (skew < 1 frame)', async () => {
    const skewsFrames: Array<{ event: string; skew: number }> = [];
    await runScenario(sc, {
      base,
      log: silentLogger(),
      onStarted(daemon) {
        daemon.bus.on('order', 'skew-test', (o) => {
          const atS = eventTimeS(o);
          if (atS === undefined) return;
          // Frames 0..n-1 went through the tray stage: the event takes effect at frame n's time.
          const n = daemon.evalProbe.framesProcessed();
          skewsFrames.push({ event: `${o.orderId}:${o.status}:v${o.version}`, skew: n - atS * sc.fps });
        });
        return Promise.resolve();
      },
    });
    expect(skewsFrames.map((s) => s.event).sort()).toEqual(
      [
        '1:open:v1',
        '1:ready:v1',
        '1:served:v1',
        '2:open:v1',
        '2:ready:v1',
        '2:ready:v2',
        '3:open:v1',
        '3:cancelled:v1',
      ].sort(),
    );
    expect(skewsFrames.length).toBe(8);
    // Never early (every frame before its time was handled first: publishing at render time was
    // 0.5 to 1 frame early on an idle box, more under load) and never a whole frame late.
    for (const s of skewsFrames) {
      expect(s.skew, `${s.event}: ${s.skew.toFixed(2)} frames`).toBeGreaterThanOrEqual(0);
      expect(s.skew, `${s.event}: ${s.skew.toFixed(2)} frames`).toBeLessThan(1);
    }
  }, 120_000);
});
