// Menu mapping: what an order puts on the tray, per detector label (DESIGN.md "Menu mapping").
// Pure. Modifiers ("no fries") are not applied: the menu has no notion of removable components,
// so a modified line still expects its full `contains` (documented in docs/mqtt.md).
import type { Menu } from '../config/schema.js';
import type { LabelCounts, OrderLine } from '../types.js';

export interface Expansion {
  /** Label → count the camera should see. */
  expected: LabelCounts;
  /** Lines no camera can check, for staff: "GIFT_CARD × 1 (not checkable)", "MYSTERY × 2 (unknown SKU)". */
  unverifiable: string[];
  /** SKUs missing from the menu (menu drift), each once. */
  unknownSkus: string[];
}

/** The one menu expansion: labels expected, and the lines no camera can check, summed per SKU. */
export interface LineExpansion {
  /** Label → count the camera should see (no zero counts). */
  expected: LabelCounts;
  /** SKU → quantity of lines with `verify: false` or nothing visible in `contains`, in order. */
  notCheckable: Map<string, number>;
  /** SKU → quantity of lines whose SKU is not in the menu, in order. */
  unknown: Map<string, number>;
}

export function expandLines(items: readonly OrderLine[], menu: Menu): LineExpansion {
  const expected: LabelCounts = {};
  // Same SKU on several lines is reported once with the summed quantity.
  const notCheckable = new Map<string, number>();
  const unknown = new Map<string, number>();
  const add = (m: Map<string, number>, sku: string, qty: number): void =>
    void m.set(sku, (m.get(sku) ?? 0) + qty);
  for (const line of items) {
    const item = Object.hasOwn(menu, line.sku) ? menu[line.sku] : undefined;
    if (!item) {
      add(unknown, line.sku, line.qty);
      continue;
    }
    const visible = Object.entries(item.contains).filter(([, n]) => n > 0);
    if (!item.verify || visible.length === 0) {
      add(notCheckable, line.sku, line.qty);
      continue;
    }
    for (const [label, n] of visible) expected[label] = (expected[label] ?? 0) + n * line.qty;
  }
  for (const [label, n] of Object.entries(expected)) if (n <= 0) delete expected[label];
  return { expected, notCheckable, unknown };
}

/** The expansion for staff and the orders stage: unverifiable lines written out. */
export function expandOrder(order: { items: readonly OrderLine[] }, menu: Menu): Expansion {
  const { expected, notCheckable, unknown } = expandLines(order.items, menu);
  return {
    expected,
    unverifiable: [
      ...[...notCheckable].map(([sku, qty]) => `${sku} × ${qty} (not checkable)`),
      ...[...unknown].map(([sku, qty]) => `${sku} × ${qty} (unknown SKU)`),
    ],
    unknownSkus: [...unknown.keys()],
  };
}
