// Scoring the scenario-format additions: a tray right to stay unlinked, identical orders where
// either link is right, a camera stall, unverifiable lines and served-with-error.
import { describe, expect, it } from 'vitest';
import { scoreScenario, type EvalAlert, type EvalVerdict } from '../../src/eval/metrics.js';
import { parseScenario, ScenarioError } from '../../src/sim/scenario.js';

const evalMenu = {
  menu: {
    COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 }, verify: true },
    WRAP: { name: 'Wrap', contains: { wrap: 1 }, verify: true },
  },
  modifiers: { no_drink: { change: { drink: -1 } } },
};

const sc = parseScenario(`
name: format
orders:
  - { id: "1", at: 0, items: [{ sku: COMBO1, qty: 1 }], cancelAt: 1 }
  - { id: "2", at: 5, items: [{ sku: COMBO1, qty: 1, modifiers: [no_drink] }] }
  - { id: "3", at: 5, items: [{ sku: COMBO1, qty: 1, modifiers: [no_drink] }] }
  - { id: "4", at: 14, items: [{ sku: COMBO1, qty: 1, modifiers: [no ice] }, { sku: WRAP, qty: 1 }] }
  - { id: "5", at: 22, items: [{ sku: WRAP, qty: 1 }] }
trays:
  - { id: cancelled, order: "1", enter: 2, leave: 8, steps: [{ at: 0, items: { burger: 1, fries: 1, drink: 1 } }] }
  - { id: twin, order: "2", slot: 1, enter: 9, leave: 15, steps: [{ at: 0, items: { burger: 1, fries: 1 } }] }
  - { id: free-text, order: "4", enter: 16, leave: 21, steps: [{ at: 0, items: { burger: 1, wrap: 1 } }] }
  - { id: stalled, order: "5", slot: 1, enter: 23, leave: 26, steps: [{ at: 0, items: { fries: 1 } }] }
camera: [{ at: 23.5, stall: 3 }]
truth: { cancelled: unlinked, twin: { any-of: ["3"] } }
`);

const v = (id: number, tS: number, centreX: number, o: Partial<EvalVerdict>): EvalVerdict => ({
  verdictId: id,
  trayId: `sim-${id}`,
  orderId: null,
  result: 'unlinked',
  observed: {},
  unverifiable: [],
  tS,
  centreX,
  ...o,
});

describe('eval truth of the scenario-format additions', () => {
  it('scores unlinked-by-design, any-of links, unverifiable lines, stalls and served-with-error', () => {
    const verdicts = [
      v(1, 4, 0.3, { observed: { burger: 1, fries: 1, drink: 1 } }),
      v(2, 11, 0.7, { orderId: '3', result: 'ok', observed: { burger: 1, fries: 1 } }),
      v(3, 18, 0.3, {
        orderId: '4',
        result: 'ok',
        observed: { burger: 1, wrap: 1 },
        unverifiable: ['COMBO1 (no ice)'],
      }),
    ];
    const alerts: EvalAlert[] = [];
    const r = scoreScenario(sc, evalMenu, verdicts, alerts);
    const byId = Object.fromEntries(r.outcomes.map((o) => [o.trayId, o]));
    expect(byId.cancelled).toMatchObject({
      wrong: false,
      linkedRight: true,
      verdictCorrect: true,
      verdictedBeforeLeave: true,
    });
    expect(byId.twin).toMatchObject({ wrong: false, linkedRight: true, verdictCorrect: true });
    expect(byId['free-text']).toMatchObject({ wrong: false, verdictCorrect: true, unverifiableListed: true });
    // The wrong fries are filmed for 0.5 s before the stall: nothing could settle, nothing is wrong.
    expect(byId.stalled).toMatchObject({ wrong: false, verdicts: 0 });
    expect(r.unverifiable).toEqual({ trays: 1, listed: 1 });
    expect(r.correctLinkRate).toBe(3 / 4);
  });

  it('an unverifiable line the verdict leaves out is counted, and a wrong link is wrong', () => {
    const verdicts = [
      v(2, 11, 0.7, { orderId: '1', result: 'mismatch', observed: { burger: 1, fries: 1 } }),
      v(3, 18, 0.3, { orderId: '4', result: 'ok', observed: { burger: 1, wrap: 1 } }),
    ];
    const r = scoreScenario(sc, evalMenu, verdicts, [
      { verdictId: 2, trayId: 'x', resolution: 'served-with-error', latencyMs: 9 },
    ]);
    const byId = Object.fromEntries(r.outcomes.map((o) => [o.trayId, o]));
    expect(byId.twin).toMatchObject({ linkedRight: false, alerted: true, servedWithError: true });
    expect(r.falseAlertRate).toBeGreaterThan(0);
    expect(r.unverifiable).toEqual({ trays: 1, listed: 0 });
    expect(r.servedWithError).toEqual({ resolved: 1, leftWrong: 0, right: 0 });
  });

  it('scores a camera stall: reported when longer than stallTimeoutMs, and verdicts on counts from before it', () => {
    // The stall is 23.5..26.5 s (3 s); the `stalled` report names the last frame before it (23.4 s).
    const fresh = v(4, 27.6, 0.7, { orderId: '5', result: 'ok', observed: { wrap: 1 }, windowStartS: 26.6 });
    const stale = v(5, 26.6, 0.7, { orderId: '5', result: 'ok', observed: { wrap: 1 }, windowStartS: 22.8 });
    const reported = { stallTimeoutMs: 2000, stalledAtS: [23.4] };
    expect(scoreScenario(sc, evalMenu, [fresh], [], reported).cameraStalls).toEqual({
      stalls: 1,
      reportable: 1,
      reported: 1,
      staleVerdicts: 0,
    });
    expect(
      scoreScenario(sc, evalMenu, [stale], [], { stallTimeoutMs: 2000, stalledAtS: [] }).cameraStalls,
    ).toEqual({ stalls: 1, reportable: 1, reported: 0, staleVerdicts: 1 });
    // A 3 s stall under a 5 s stallTimeoutMs is not one the daemon reports; a report elsewhere does not count.
    expect(
      scoreScenario(sc, evalMenu, [], [], { stallTimeoutMs: 5000, stalledAtS: [3] }).cameraStalls,
    ).toEqual({
      stalls: 1,
      reportable: 0,
      reported: 0,
      staleVerdicts: 0,
    });
    expect(
      scoreScenario(sc, evalMenu, [], [], { stallTimeoutMs: 2000, stalledAtS: [3] }).cameraStalls.reported,
    ).toBe(0);
  });

  it('refuses an any-of naming an order the scenario does not have', () => {
    expect(() =>
      parseScenario(
        'name: x\norders: [{ id: "1", at: 0, items: [{ sku: A, qty: 1 }] }]\ntruth: { T: { any-of: ["9"] } }\n',
      ),
    ).toThrow(ScenarioError);
  });
});

describe('camera stall in the simulated camera', () => {
  it('skips the frames inside a stall: the next frame delivered is the first after it', async () => {
    const { createScenarioSource } = await import('../../src/sim/scenario-camera.js');
    const src = createScenarioSource({ scenario: sc, realtime: false });
    // 5 fps: the stall covers 23.5 s ≤ t < 26.5 s, frames 118..132.
    expect(src.resumeAt?.(117)).toBe(117);
    expect(src.resumeAt?.(118)).toBe(133);
    expect(src.resumeAt?.(130)).toBe(133);
    expect(src.resumeAt?.(133)).toBe(133);
  });
});
