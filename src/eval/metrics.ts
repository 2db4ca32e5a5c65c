// Pure scoring of one scenario run: what the pipeline said (verdicts, alerts, observations)
// against what the scenario says happened (tray contents over time, the order each tray is for).
import { rightOrders, trayContentsAt, type Scenario, type ScenarioTray } from '../sim/scenario.js';
import type { LabelCounts } from '../types.js';
import { SKIP_LABELS, trayTruth, type EvalMenu } from './truth.js';

export type { EvalMenu } from './truth.js';

/** A verdict as the eval sees it, with scenario time (seconds) and where the tray was. */
export interface EvalVerdict {
  verdictId: number;
  trayId: string;
  orderId: string | null;
  result: 'ok' | 'mismatch' | 'uncertain' | 'unlinked';
  observed: LabelCounts;
  /** Order lines the verdict lists as not checkable. */
  unverifiable: string[];
  tS: number;
  /** Tray box centre x in 0..1 of the frame. */
  centreX: number;
  /** Scenario time the counts it was judged on began to hold (its settle window); absent: re-verified. */
  windowStartS?: number;
}

/** What the daemon said about its camera: the scenario times it reported the camera `stalled`. */
export interface EvalCamera {
  stallTimeoutMs: number;
  /** Scenario time of the last frame before each `stalled` report. */
  stalledAtS: number[];
}

/**
 * The scenario's camera stalls: those at least stallTimeoutMs long must be reported (verification
 * unavailable), and no verdict may rest on counts from before a stall (its settle window spans it).
 */
export interface StallScore {
  stalls: number;
  reportable: number;
  reported: number;
  staleVerdicts: number;
}

export interface EvalAlert {
  verdictId: number;
  trayId: string;
  resolution: string | null;
  latencyMs: number | null;
}

export interface LabelConfusion {
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
}

export interface TrayOutcome {
  trayId: string;
  orderId: string | null;
  wrong: boolean;
  finalCorrect: boolean;
  verdicts: number;
  alerted: boolean;
  corrected: boolean;
  finalVerdict: string | null;
  verdictCorrect: boolean;
  linkedRight: boolean;
  verdictedBeforeLeave: boolean;
  /** The order has lines no camera can check: did the last verdict list them all? null: none. */
  unverifiableListed: boolean | null;
  /** An alert on the tray resolved served-with-error (it left with its alert open). */
  servedWithError: boolean;
}

/** Figures computed the same way for one scenario and for a whole eval run. */
export interface EvalTotals {
  trays: number;
  wrongTrays: number;
  correctTrays: number;
  alertsRaised: number;
  wrongTrayRecall: number | null;
  falseAlertRate: number | null;
  verdictAccuracy: number | null;
  correctLinkRate: number | null;
  unlinkedTrays: number;
  correctedCaught: number;
  verdictedBeforeDeparture: number;
  /** Trays whose final verdict is uncertain (no alert; a count the camera could not be sure of). */
  uncertainTrays: number;
  /** Trays whose order has unverifiable lines, and of those the ones whose verdict listed them all. */
  unverifiable: { trays: number; listed: number };
  /**
   * served-with-error: trays resolved so, trays that left wrong (should be), and trays both.
   */
  servedWithError: { resolved: number; leftWrong: number; right: number };
  latencyMs: { p50: number | null; p95: number | null; max: number | null; n: number };
  cameraStalls: StallScore;
}

export interface EvalReport extends EvalTotals {
  scenario: string;
  labels: Record<string, LabelConfusion>;
  outcomes: TrayOutcome[];
}

export const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

const NO_STALLS: StallScore = { stalls: 0, reportable: 0, reported: 0, staleVerdicts: 0 };

export function totalsOf(
  outcomes: readonly TrayOutcome[],
  alertsRaised: number,
  latencies: readonly number[],
  cameraStalls: StallScore = NO_STALLS,
): EvalTotals {
  const wrong = outcomes.filter((o) => o.wrong);
  const correct = outcomes.filter((o) => !o.wrong);
  return {
    trays: outcomes.length,
    wrongTrays: wrong.length,
    correctTrays: correct.length,
    alertsRaised,
    wrongTrayRecall: ratio(wrong.filter((o) => o.alerted).length, wrong.length),
    falseAlertRate: ratio(correct.filter((o) => o.alerted).length, correct.length),
    verdictAccuracy: ratio(outcomes.filter((o) => o.verdictCorrect).length, outcomes.length),
    correctLinkRate: ratio(outcomes.filter((o) => o.linkedRight).length, outcomes.length),
    unlinkedTrays: outcomes.filter((o) => o.finalVerdict === 'unlinked').length,
    correctedCaught: outcomes.filter((o) => o.corrected).length,
    verdictedBeforeDeparture: outcomes.filter((o) => o.verdictedBeforeLeave).length,
    uncertainTrays: outcomes.filter((o) => o.finalVerdict === 'uncertain').length,
    unverifiable: {
      trays: outcomes.filter((o) => o.unverifiableListed !== null).length,
      listed: outcomes.filter((o) => o.unverifiableListed === true).length,
    },
    servedWithError: {
      resolved: outcomes.filter((o) => o.servedWithError).length,
      leftWrong: outcomes.filter((o) => o.wrong && !o.finalCorrect).length,
      right: outcomes.filter((o) => o.servedWithError && o.wrong && !o.finalCorrect).length,
    },
    latencyMs: {
      p50: percentile([...latencies], 50),
      p95: percentile([...latencies], 95),
      max: latencies.length ? Math.max(...latencies) : null,
      n: latencies.length,
    },
    cameraStalls: { ...cameraStalls },
  };
}

/** Sum of stall scores (several scenarios). */
export const addStalls = (a: StallScore, b: StallScore): StallScore => ({
  stalls: a.stalls + b.stalls,
  reportable: a.reportable + b.reportable,
  reported: a.reported + b.reported,
  staleVerdicts: a.staleVerdicts + b.staleVerdicts,
});

export function scoreStalls(sc: Scenario, verdicts: readonly EvalVerdict[], camera?: EvalCamera): StallScore {
  const frameS = 1 / sc.fps;
  const reportable = sc.camera.filter((c) => camera && c.stall * 1000 > camera.stallTimeoutMs);
  return {
    stalls: sc.camera.length,
    reportable: reportable.length,
    // The report names the last frame before the stall.
    reported: reportable.filter((c) =>
      camera?.stalledAtS.some((t) => t >= c.at - frameS - 1e-6 && t < c.at + c.stall),
    ).length,
    staleVerdicts: verdicts.filter((v) =>
      sc.camera.some((c) => v.windowStartS !== undefined && v.windowStartS < c.at && v.tS >= c.at),
    ).length,
  };
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((x, y) => x - y);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx] ?? null;
}

/**
 * Which scenario tray a verdict belongs to: on the same side of the counter, in view at that time,
 * else the one that left there last (a verdict may come a frame or two after the tray left).
 */
export function matchTray(sc: Scenario, v: EvalVerdict): ScenarioTray | null {
  const near = sc.trays.filter((t) => v.tS >= t.enter && v.tS < t.leave + 0.5);
  const slot = v.centreX < 0.5 ? 0 : 1;
  const side = near.length > 1 ? near.filter((t) => t.slot === slot) : near;
  const pool = side.length > 0 ? side : near;
  const inView = pool.filter((t) => v.tS < t.leave);
  if (inView.length > 0) return inView.sort((a, b) => b.enter - a.enter)[0] ?? null;
  return pool.sort((a, b) => b.leave - a.leave)[0] ?? null;
}

export function scoreScenario(
  sc: Scenario,
  menu: EvalMenu,
  verdicts: EvalVerdict[],
  alerts: EvalAlert[],
  camera?: EvalCamera,
): EvalReport {
  const labels: Record<string, LabelConfusion> = {};
  const byTray = new Map<string, EvalVerdict[]>();
  for (const v of verdicts) {
    const tray = matchTray(sc, v);
    if (!tray) continue;
    const list = byTray.get(tray.id) ?? [];
    list.push(v);
    byTray.set(tray.id, list);
    const truth = trayContentsAt(tray, Math.min(v.tS, tray.leave - 0.01)) ?? {};
    for (const label of new Set([...Object.keys(truth), ...Object.keys(v.observed)])) {
      if (SKIP_LABELS.has(label)) continue;
      const c = (labels[label] ??= { truePositive: 0, falsePositive: 0, falseNegative: 0 });
      const want = truth[label] ?? 0;
      const got = v.observed[label] ?? 0;
      c.truePositive += Math.min(want, got);
      c.falsePositive += Math.max(0, got - want);
      c.falseNegative += Math.max(0, want - got);
    }
  }
  const alertsByVerdict = new Map(alerts.map((a) => [a.verdictId, a]));
  const outcomes: TrayOutcome[] = sc.trays.map((tray) => {
    const { wrong, finalCorrect, unverifiable } = trayTruth(sc, tray, menu);
    const right = rightOrders(sc, tray);
    const vs = (byTray.get(tray.id) ?? []).sort((a, b) => a.tS - b.tS);
    const trayAlerts = vs
      .map((v) => alertsByVerdict.get(v.verdictId))
      .filter((a): a is EvalAlert => Boolean(a));
    const last = vs[vs.length - 1] ?? null;
    // A tray right to stay unlinked (its order cancelled) is verdicted when it says so, or says nothing.
    const unlinkedRight = right === null && (last === null || last.orderId === null);
    const finalExpected = right === null ? 'unlinked' : finalCorrect ? 'ok' : 'mismatch';
    return {
      trayId: tray.id,
      orderId: tray.order ?? null,
      wrong,
      finalCorrect,
      verdicts: vs.length,
      alerted: trayAlerts.length > 0 || vs.some((v) => v.result === 'mismatch'),
      corrected: trayAlerts.some((a) => a.resolution === 'corrected'),
      finalVerdict: last?.result ?? null,
      verdictCorrect: unlinkedRight || (last !== null && last.result === finalExpected),
      linkedRight: unlinkedRight || (last !== null && right !== null && right.includes(last.orderId ?? '')),
      verdictedBeforeLeave: unlinkedRight || vs.some((v) => v.tS < tray.leave),
      unverifiableListed:
        unverifiable.length === 0 ? null : unverifiable.every((u) => last?.unverifiable.includes(u) ?? false),
      servedWithError: trayAlerts.some((a) => a.resolution === 'served-with-error'),
    };
  });
  const latencies = alerts.map((a) => a.latencyMs).filter((x): x is number => typeof x === 'number');
  const stalls = scoreStalls(sc, verdicts, camera);
  return { scenario: sc.name, ...totalsOf(outcomes, alerts.length, latencies, stalls), labels, outcomes };
}
