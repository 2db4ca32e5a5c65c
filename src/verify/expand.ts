// Menu expansion of an order: what its lines put on the tray, per detector label.
// The orders stage may ship the same function as src/orders/menu.ts; the signature is shared.
import type { Menu } from '../config/schema.js';
import type { LabelCounts, Order } from '../types.js';

export interface Expansion {
  expected: LabelCounts;
  /** SKUs no camera can check: menu `verify: false`, or nothing visible in `contains`. */
  unverifiable: string[];
  /** SKUs missing from the menu. */
  unknownSkus: string[];
}

export function expandOrder(order: Pick<Order, 'items'>, menu: Menu): Expansion {
  const expected: LabelCounts = {};
  const unverifiable = new Set<string>();
  const unknownSkus = new Set<string>();
  for (const line of order.items) {
    const item = Object.hasOwn(menu, line.sku) ? menu[line.sku] : undefined;
    if (!item) {
      unknownSkus.add(line.sku);
      continue;
    }
    const visible = Object.entries(item.contains).filter(([, n]) => n > 0);
    if (!item.verify || visible.length === 0) {
      unverifiable.add(line.sku);
      continue;
    }
    for (const [label, n] of visible) expected[label] = (expected[label] ?? 0) + n * line.qty;
  }
  for (const [label, n] of Object.entries(expected)) if (n <= 0) delete expected[label];
  return { expected, unverifiable: [...unverifiable], unknownSkus: [...unknownSkus] };
}
