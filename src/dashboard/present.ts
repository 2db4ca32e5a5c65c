// Plain words for staff: "Missing: 1 × Fries · Extra: 1 × Drink", menu names for order lines.
import type { Modifiers } from '../config/schema.js';
import { lineText } from '../menu/index.js';
import type { Alert, LabelCounts, Order, OrderLine, Verdict } from '../types.js';
import type { OrderChecklist } from './queries/alert-order.js';
import type { MenuEntry } from './types.js';

export type Menu = Record<string, MenuEntry>;

const capitalise = (label: string): string => {
  const words = label.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Display name of a detector label: the menu name of the only SKU that is exactly one of it, else the label capitalised. */
export function labelName(label: string, menu: Menu): string {
  const single = Object.values(menu).filter((m) => {
    const keys = Object.keys(m.contains);
    return keys.length === 1 && keys[0] === label && m.contains[label] === 1;
  });
  return single.length === 1 && single[0] ? single[0].name : capitalise(label);
}

export function describeCounts(counts: LabelCounts, menu: Menu): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, n]) => `${n} × ${labelName(label, menu)}`)
    .join(', ');
}

/** One line per kind of difference, e.g. ["Missing: 1 × Fries", "Extra: 1 × Drink"]. */
export function differenceLines(v: Pick<Verdict, 'missing' | 'extra'>, menu: Menu): string[] {
  const lines: string[] = [];
  const missing = describeCounts(v.missing, menu);
  const extra = describeCounts(v.extra, menu);
  if (missing) lines.push(`Missing: ${missing}`);
  if (extra) lines.push(`Extra: ${extra}`);
  return lines;
}

export function alertDto(a: Alert, menu: Menu) {
  const lines = differenceLines(a.verdict, menu);
  return {
    id: a.id,
    status: a.status,
    resolution: a.resolution ?? null,
    orderId: a.orderId,
    trayId: a.trayId,
    cameraId: a.cameraId,
    openedAt: a.openedAt,
    acknowledgedAt: a.acknowledgedAt ?? null,
    acknowledgedBy: a.acknowledgedBy ?? null,
    resolvedAt: a.resolvedAt ?? null,
    snapshotId: a.snapshotId ?? a.verdict.snapshotId ?? null,
    latencyMs: a.latencyMs ?? null,
    dismissedAt: a.dismissedAt ?? null,
    dismissedBy: a.dismissedBy ?? null,
    result: a.verdict.result,
    missing: a.verdict.missing,
    extra: a.verdict.extra,
    uncertain: a.verdict.uncertain,
    unverifiable: a.verdict.unverifiable,
    lines,
    summary: lines.join(' · '),
  };
}
export type AlertDto = ReturnType<typeof alertDto> & { order?: OrderChecklist | null };

export function verdictDto(v: Verdict, menu: Menu) {
  const lines = differenceLines(v, menu);
  return {
    id: v.id ?? null,
    trayId: v.trayId,
    cameraId: v.cameraId,
    orderId: v.orderId,
    link: v.link,
    result: v.result,
    expected: v.expected,
    observed: v.observed,
    missing: v.missing,
    extra: v.extra,
    uncertain: v.uncertain,
    unverifiable: v.unverifiable,
    ts: v.ts,
    snapshotId: v.snapshotId ?? null,
    summary: lines.join(' · '),
  };
}

/**
 * "1 × Burger Meal, no drink": the menu module's line text (menu name, modifiers in the words the
 * `modifiers` section gives them, else as the POS sent them) after the quantity.
 */
export function orderLineText(line: OrderLine, menu: Menu, modifiers: Modifiers = {}): string {
  return `${line.qty} × ${lineText({ ...line, qty: 1 }, menu, modifiers)}`;
}

export function orderLines(items: Order['items'], menu: Menu, modifiers: Modifiers = {}): string[] {
  return items.map((l) => orderLineText(l, menu, modifiers));
}

export function orderDto(o: Order, menu: Menu, modifiers: Modifiers = {}) {
  return {
    orderId: o.orderId,
    version: o.version,
    status: o.status,
    station: o.station ?? null,
    placedAt: o.placedAt,
    readyAt: o.readyAt ?? null,
    updatedAt: o.updatedAt,
    lines: orderLines(o.items, menu, modifiers),
  };
}
