// Menu expansion, the one place an order becomes what the camera should see (DESIGN.md "Menu
// mapping"). Used by the orders stage (unknown SKUs), the verifier (expected counts, linking),
// the scenario generator and the eval's ground truth. Pure.
import type { Menu, Modifiers } from '../config/schema.js';
import type { LabelCounts, OrderLine } from '../types.js';
import { modifierCode } from './modifiers.js';

export type UnverifiableReason = 'not-checkable' | 'unknown-sku' | 'unknown-modifier';

/** An order line (same SKU, modifiers and reason summed) that no camera can check. */
export interface UnverifiableLine {
  sku: string;
  qty: number;
  /** The line's modifiers as the POS sent them. */
  modifiers: string[];
  /**
   * not-checkable: menu `verify: false` or nothing visible; unknown-sku: not in the menu;
   * unknown-modifier: a modifier the `modifiers` section does not map (free text), so what the
   * line puts on the tray is not known.
   */
  reason: UnverifiableReason;
}

export interface Expansion {
  /** Label → count the camera must see (no zero counts). */
  expected: LabelCounts;
  /**
   * Label → how many more may be on the tray without being extra: the contents of lines with an
   * unknown modifier ("no ice", "extra pickles") may or may not be there.
   */
  allowance: LabelCounts;
  unverifiable: UnverifiableLine[];
  /** SKUs missing from the menu (menu drift), each once. */
  unknownSkus: string[];
  /** Modifiers the `modifiers` section does not map, each once, as sent. */
  unknownModifiers: string[];
}

const lookup = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** What one unit of a line puts on the tray after its modifiers; null when a modifier is unknown. */
function unitContents(
  contains: LabelCounts,
  modifiers: readonly string[],
  known: Modifiers,
  unknown: string[],
): LabelCounts | null {
  const unit: LabelCounts = { ...contains };
  let ok = true;
  for (const raw of modifiers) {
    const mod = lookup(known, modifierCode(raw));
    if (!mod) {
      if (!unknown.includes(raw)) unknown.push(raw);
      ok = false;
      continue;
    }
    // A modifier removes at most what the item has ("no drink" on a burger removes nothing).
    for (const [label, delta] of Object.entries(mod.change))
      unit[label] = Math.max(0, (unit[label] ?? 0) + delta);
  }
  return ok ? unit : null;
}

export function expandOrder(
  order: { items: readonly OrderLine[] },
  menu: Menu,
  modifiers: Modifiers = {},
): Expansion {
  const expected: LabelCounts = {};
  const allowance: LabelCounts = {};
  const unverifiable: UnverifiableLine[] = [];
  const unknownSkus: string[] = [];
  const unknownModifiers: string[] = [];
  const add = (into: LabelCounts, unit: LabelCounts, qty: number): void => {
    for (const [label, n] of Object.entries(unit)) if (n > 0) into[label] = (into[label] ?? 0) + n * qty;
  };
  const listUnverifiable = (line: OrderLine, reason: UnverifiableReason): void => {
    const mods = line.modifiers ?? [];
    const same = unverifiable.find(
      (u) => u.sku === line.sku && u.reason === reason && u.modifiers.join('\n') === mods.join('\n'),
    );
    if (same) same.qty += line.qty;
    else unverifiable.push({ sku: line.sku, qty: line.qty, modifiers: [...mods], reason });
  };
  for (const line of order.items) {
    if (line.qty <= 0) continue;
    const item = lookup(menu, line.sku);
    if (!item) {
      if (!unknownSkus.includes(line.sku)) unknownSkus.push(line.sku);
      listUnverifiable(line, 'unknown-sku');
      continue;
    }
    const unit = unitContents(item.contains, line.modifiers ?? [], modifiers, unknownModifiers);
    if (!item.verify || (unit && Object.values(unit).every((n) => n <= 0))) {
      listUnverifiable(line, 'not-checkable');
      continue;
    }
    if (!unit) {
      // Kept, never ignored: the line's own contents are allowed, not required.
      add(allowance, item.contains, line.qty);
      listUnverifiable(line, 'unknown-modifier');
      continue;
    }
    add(expected, unit, line.qty);
  }
  return { expected, allowance, unverifiable, unknownSkus, unknownModifiers };
}
