// What a scenario says really happened to each tray: was it wrong at some settled moment, was it
// right when it left, which lines of its order no camera can check. Pure.
import type { Menu, Modifiers } from '../config/schema.js';
import { expandOrder, unverifiableText, type Expansion } from '../menu/index.js';
import { orderItemsAt, trayContentsAt, type Scenario, type ScenarioTray } from '../sim/scenario.js';
import type { LabelCounts } from '../types.js';

/** The menu the scenario ran under. */
export interface EvalMenu {
  menu: Menu;
  modifiers: Modifiers;
}

export interface TrayTruth {
  /** Differed from its order at a moment it could settle. */
  wrong: boolean;
  /** Its last state that could settle matched its order. */
  finalCorrect: boolean;
  /** Lines of its order (at leave time) that the verdict must list as unverifiable. */
  unverifiable: string[];
  /** At least one state could settle (visible, hand-free, camera live) for SETTLE_S. */
  settleable: boolean;
}

export const SKIP_LABELS = new Set(['tray', 'hand']);

/** Seconds a tray state must stay visible, hand-free and filmed to count as settled in the truth. */
const SETTLE_S = 1.5;

/** Longest stretch of [t0, t1) without a hand over the tray and without a camera stall. */
function longestClearS(sc: Scenario, tray: ScenarioTray, t0: number, t1: number): number {
  const blocked = [
    ...tray.hands.map((h) => [tray.enter + h.at, tray.enter + h.at + h.duration] as const),
    ...sc.camera.map((c) => [c.at, c.at + c.stall] as const),
  ].sort((a, b) => a[0] - b[0]);
  let best = 0;
  let cursor = t0;
  for (const [a, b] of blocked) {
    if (b <= cursor || a >= t1) continue;
    best = Math.max(best, Math.min(a, t1) - cursor);
    cursor = Math.max(cursor, b);
  }
  return Math.max(best, t1 - cursor);
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

export function trayTruth(sc: Scenario, tray: ScenarioTray, m: EvalMenu): TrayTruth {
  // Check the tray at every moment its contents or its order change while it is in view.
  const order = sc.orders.find((o) => o.id === tray.order);
  const times = [
    ...tray.steps.map((s) => tray.enter + s.at),
    ...(order?.updates ?? []).map((u) => u.at).filter((t) => t > tray.enter && t < tray.leave),
    ...(order?.cancelAt !== undefined && order.cancelAt > tray.enter && order.cancelAt < tray.leave
      ? [order.cancelAt]
      : []),
  ].sort((a, b) => a - b);
  const states = times
    .map((t0, i) => ({ t0, t1: Math.min(times[i + 1] ?? tray.leave, tray.leave) }))
    .filter(({ t0, t1 }) => longestClearS(sc, tray, t0, t1) >= SETTLE_S)
    .map(({ t0 }) => {
      const t = t0 + 0.01;
      const exp = expectedFor(sc, tray, m, t);
      return exp === null ? true : fits(trayContentsAt(tray, t) ?? {}, exp);
    });
  const atLeave = expectedFor(sc, tray, m, tray.leave - 0.01);
  return {
    wrong: states.some((ok) => !ok),
    finalCorrect: states[states.length - 1] ?? true,
    unverifiable: atLeave ? unverifiableText(atLeave.unverifiable) : [],
    settleable: states.length > 0,
  };
}
