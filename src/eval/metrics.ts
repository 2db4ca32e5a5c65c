// Pure scoring of one scenario run: what the pipeline said (verdicts, alerts, observations)
// against what the scenario says happened (tray contents over time, the order each tray is for).
import type { Menu, Modifiers } from '../config/schema.js';
import { expandOrder, type Expansion } from '../menu/index.js';
import { orderItemsAt, trayContentsAt, type Scenario, type ScenarioTray } from '../sim/scenario.js';
import type { LabelCounts } from '../types.js';

/** A verdict as the eval sees it, with scenario time (seconds) and where the tray was. */
export interface EvalVerdict {
  verdictId: number;
  trayId: string;
  orderId: string | null;
  result: 'ok' | 'mismatch' | 'uncertain' | 'unlinked';
  observed: LabelCounts;
  tS: number;
  /** Tray box centre x in 0..1 of the frame. */
  centreX: number;
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
  latencyMs: { p50: number | null; p95: number | null; max: number | null; n: number };
}

export interface EvalReport extends EvalTotals {
  scenario: string;
  labels: Record<string, LabelConfusion>;
  outcomes: TrayOutcome[];
}

export const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

export function totalsOf(
  outcomes: readonly TrayOutcome[],
  alertsRaised: number,
  latencies: readonly number[],
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
    latencyMs: {
      p50: percentile([...latencies], 50),
      p95: percentile([...latencies], 95),
      max: latencies.length ? Math.max(...latencies) : null,
      n: latencies.length,
    },
  };
}

const SKIP_LABELS = new Set(['tray', 'hand']);

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((x, y) => x - y);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx] ?? null;
}

/** Which scenario tray a verdict belongs to: in view at that time, on the same side of the counter. */
export function matchTray(sc: Scenario, v: EvalVerdict): ScenarioTray | null {
  const inView = sc.trays.filter((t) => v.tS >= t.enter && v.tS < t.leave + 0.5);
  if (inView.length <= 1) return inView[0] ?? null;
  const slot = v.centreX < 0.5 ? 0 : 1;
  return inView.find((t) => t.slot === slot) ?? inView[0] ?? null;
}

/** Seconds a tray state must stay visible and hand-free to count as settled in the truth. */
const SETTLE_S = 1.5;

function longestHandFreeS(tray: ScenarioTray, t0: number, t1: number): number {
  const hands = tray.hands
    .map((h) => [tray.enter + h.at, tray.enter + h.at + h.duration] as const)
    .sort((a, b) => a[0] - b[0]);
  let best = 0;
  let cursor = t0;
  for (const [a, b] of hands) {
    if (b <= cursor || a >= t1) continue;
    best = Math.max(best, Math.min(a, t1) - cursor);
    cursor = Math.max(cursor, b);
  }
  return Math.max(best, t1 - cursor);
}

/** The menu the scenario ran under. */
export interface EvalMenu {
  menu: Menu;
  modifiers: Modifiers;
}

function expectedFor(sc: Scenario, tray: ScenarioTray, m: EvalMenu, t: number): Expansion | null {
  const order = sc.orders.find((o) => o.id === tray.order);
  if (!order) return null;
  const items = orderItemsAt(order, t);
  return items ? expandOrder({ items }, m.menu, m.modifiers) : null;
}

/** What is on the tray is what the order says: every expected item, nothing beyond the allowance. */
function fits(have: LabelCounts, exp: Expansion): boolean {
  const keys = new Set(
    [...Object.keys(have), ...Object.keys(exp.expected)].filter((k) => !SKIP_LABELS.has(k)),
  );
  for (const k of keys) {
    const n = have[k] ?? 0;
    const want = exp.expected[k] ?? 0;
    if (n < want || n > want + (exp.allowance[k] ?? 0)) return false;
  }
  return true;
}

export function scoreScenario(
  sc: Scenario,
  menu: EvalMenu,
  verdicts: EvalVerdict[],
  alerts: EvalAlert[],
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
    // Check the tray at every moment its contents or its order change while it is in view.
    const order = sc.orders.find((o) => o.id === tray.order);
    const times = [
      ...tray.steps.map((s) => tray.enter + s.at),
      ...(order?.updates ?? []).map((u) => u.at).filter((t) => t > tray.enter && t < tray.leave),
    ].sort((a, b) => a - b);
    // A state only counts if it could settle: visible without a hand for SETTLE_S or more.
    const stepStates = times
      .map((t0, i) => ({ t0, t1: Math.min(times[i + 1] ?? tray.leave, tray.leave) }))
      .filter(({ t0, t1 }) => longestHandFreeS(tray, t0, t1) >= SETTLE_S)
      .map(({ t0 }) => {
        const t = t0 + 0.01;
        const exp = expectedFor(sc, tray, menu, t);
        const have = trayContentsAt(tray, t) ?? {};
        return exp === null ? true : fits(have, exp);
      });
    const wrong = stepStates.some((ok) => !ok);
    const finalCorrect = stepStates[stepStates.length - 1] ?? true;
    const vs = (byTray.get(tray.id) ?? []).sort((a, b) => a.tS - b.tS);
    const trayAlerts = vs
      .map((v) => alertsByVerdict.get(v.verdictId))
      .filter((a): a is EvalAlert => Boolean(a));
    const last = vs[vs.length - 1] ?? null;
    const finalExpected = last && last.result !== 'unlinked' ? (finalCorrect ? 'ok' : 'mismatch') : null;
    return {
      trayId: tray.id,
      orderId: tray.order ?? null,
      wrong,
      finalCorrect,
      verdicts: vs.length,
      alerted: trayAlerts.length > 0 || vs.some((v) => v.result === 'mismatch'),
      corrected: trayAlerts.some((a) => a.resolution === 'corrected'),
      finalVerdict: last?.result ?? null,
      verdictCorrect: last !== null && last.result === finalExpected,
      linkedRight: last !== null && last.orderId === (tray.order ?? null),
      verdictedBeforeLeave: vs.some((v) => v.tS < tray.leave),
    };
  });
  const latencies = alerts.map((a) => a.latencyMs).filter((x): x is number => typeof x === 'number');
  return { scenario: sc.name, ...totalsOf(outcomes, alerts.length, latencies), labels, outcomes };
}
