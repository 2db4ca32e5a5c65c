import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { percentile, scoreScenario, type EvalAlert, type EvalVerdict } from '../../src/eval/metrics.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { ROOT } from '../helpers/daemon.js';

const config = loadConfig(join(ROOT, 'config', 'traycheck.example.yaml'), {}).config;
const menu = config.menu;
const evalMenu = { menu, modifiers: config.modifiers };
const basic = loadScenario(join(ROOT, 'test', 'scenarios', 'basic.yaml'));

const v = (
  verdictId: number,
  tS: number,
  result: EvalVerdict['result'],
  orderId: string | null,
  observed: Record<string, number>,
): EvalVerdict => ({
  verdictId,
  trayId: `cam-${verdictId}`,
  orderId,
  result,
  observed,
  tS,
  centreX: 0.3,
  unverifiable: [],
});

describe('eval scoring', () => {
  it('scores a perfect run of the basic scenario', () => {
    const verdicts = [
      v(1, 4, 'ok', '1001', { burger: 1, fries: 1, drink: 1 }),
      v(2, 13, 'mismatch', '1002', { burger: 1, drink: 1 }),
      v(3, 22, 'mismatch', '1003', { wrap: 1, drink: 1, dessert: 1 }),
      v(4, 31, 'mismatch', '1004', { nuggets: 1, fries: 1, drink: 1 }),
      v(5, 36, 'ok', '1004', { nuggets: 1, fries: 1, drink: 1, sauce: 1 }),
    ];
    const alerts: EvalAlert[] = [
      { verdictId: 2, trayId: 'x', resolution: 'served-with-error', latencyMs: 100 },
      { verdictId: 3, trayId: 'x', resolution: 'served-with-error', latencyMs: 200 },
      { verdictId: 4, trayId: 'x', resolution: 'corrected', latencyMs: 300 },
    ];
    const r = scoreScenario(basic, evalMenu, verdicts, alerts);
    expect(r.trays).toBe(4);
    expect(r.wrongTrays).toBe(3);
    expect(r.wrongTrayRecall).toBe(1);
    expect(r.falseAlertRate).toBe(0);
    expect(r.verdictAccuracy).toBe(1);
    expect(r.correctLinkRate).toBe(1);
    expect(r.correctedCaught).toBe(1);
    expect(r.verdictedBeforeDeparture).toBe(4);
    expect(r.latencyMs).toEqual({ p50: 200, p95: 300, max: 300, n: 3 });
    // B and C left wrong with their alerts open; D was corrected.
    expect(r.servedWithError).toEqual({ resolved: 2, leftWrong: 2, right: 2 });
    expect(r.unverifiable).toEqual({ trays: 0, listed: 0 });
    expect(r.labels.burger).toEqual({ truePositive: 2, falsePositive: 0, falseNegative: 0 });
  });

  it('counts a missed wrong tray, a false alert and detector confusion', () => {
    const verdicts = [
      v(1, 4, 'mismatch', '1001', { burger: 1, drink: 1 }), // fries missed by the detector → false alert
      v(2, 13, 'ok', '1002', { burger: 1, fries: 1, drink: 1 }), // hallucinated fries → wrong tray missed
    ];
    const alerts: EvalAlert[] = [{ verdictId: 1, trayId: 'x', resolution: null, latencyMs: 50 }];
    const r = scoreScenario(basic, evalMenu, verdicts, alerts);
    expect(r.falseAlertRate).toBe(1); // the only correct tray (A) was alerted
    expect(r.wrongTrayRecall).toBe(0);
    expect(r.labels.fries).toEqual({ truePositive: 0, falsePositive: 1, falseNegative: 1 });
    expect(r.verdictedBeforeDeparture).toBe(2);
  });

  it('does not count tray states hidden by a hand as wrong', () => {
    const hands = loadScenario(join(ROOT, 'test', 'scenarios', 'hands.yaml'));
    const r = scoreScenario(hands, evalMenu, [], []);
    expect(r.wrongTrays).toBe(0);
  });

  it('percentile picks nearest-rank values', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});
