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

export function expandOrder(order: { items: readonly OrderLine[] }, menu: Menu): Expansion {
  const expected: LabelCounts = {};
  // Same SKU on several lines is reported once with the summed quantity.
  const notCheckable = new Map<string, number>();
  const unknown = new Map<string, number>();
  const add = (m: Map<string, number>, sku: string, qty: number): void =>
    void m.set(sku, (m.get(sku) ?? 0) + qty);
  for (const line of order.items) {
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
  return {
    expected,
    unverifiable: [
      ...[...notCheckable].map(([sku, qty]) => `${sku} × ${qty} (not checkable)`),
      ...[...unknown].map(([sku, qty]) => `${sku} × ${qty} (unknown SKU)`),
    ],
    unknownSkus: [...unknown.keys()],
  };
}
