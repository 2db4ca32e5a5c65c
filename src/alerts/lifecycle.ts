// What a verdict does to its tray's alert (DESIGN.md "Tray lifecycle and linking" 5), pure.
// One alert per tray mismatch state: the same mismatch settling again changes nothing; a
// different mismatch updates the alert; the tray settling ok resolves it `corrected`; the tray
// leaving with it unresolved → `served-with-error`; the tray relinked to another order that it
// matches → `relinked`. uncertain and unlinked verdicts leave it be.
import type { AlertResolution, LabelCounts, Verdict } from '../types.js';

export type AlertAction =
  { kind: 'none' } | { kind: 'open' } | { kind: 'update' } | { kind: 'resolve'; resolution: AlertResolution };

/** The mismatch an unresolved alert currently describes. */
export type ActiveMismatch = Pick<Verdict, 'orderId' | 'missing' | 'extra'>;

const same = (a: LabelCounts, b: LabelCounts): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
};

export const sameMismatch = (a: ActiveMismatch, b: ActiveMismatch): boolean =>
  a.orderId === b.orderId && same(a.missing, b.missing) && same(a.extra, b.extra);

export function alertActionFor(active: ActiveMismatch | null, v: Verdict): AlertAction {
  if (v.result === 'mismatch') {
    if (!active) return { kind: 'open' };
    return sameMismatch(active, v) ? { kind: 'none' } : { kind: 'update' };
  }
  // Matching another order than the alert's: the tray was relinked, nothing was fixed.
  if (v.result === 'ok' && active)
    return { kind: 'resolve', resolution: active.orderId === v.orderId ? 'corrected' : 'relinked' };
  return { kind: 'none' };
}

/** A tray leaving the counter with an unresolved alert was served with the error. */
export const departureAction = (active: ActiveMismatch | null): AlertAction =>
  active ? { kind: 'resolve', resolution: 'served-with-error' } : { kind: 'none' };

/** "Missing: 1 fries · Extra: 1 drink" for snapshot captions and logs. */
export function describeMismatch(v: Pick<Verdict, 'missing' | 'extra'>): string {
  const list = (c: LabelCounts): string =>
    Object.entries(c)
      .map(([label, n]) => `${n} ${label}`)
      .join(', ');
  const parts: string[] = [];
  if (Object.keys(v.missing).length > 0) parts.push(`Missing: ${list(v.missing)}`);
  if (Object.keys(v.extra).length > 0) parts.push(`Extra: ${list(v.extra)}`);
  return parts.join(' · ');
}
