// Menu expansion of an order for the verifier: the orders stage's expansion (src/orders/menu.ts),
// with the unverifiable lines as bare SKUs (a verdict lists them; staff text is made elsewhere).
import type { Menu } from '../config/schema.js';
import { expandLines } from '../orders/menu.js';
import type { LabelCounts, Order } from '../types.js';

export interface Expansion {
  expected: LabelCounts;
  /** SKUs no camera can check: menu `verify: false`, or nothing visible in `contains`. */
  unverifiable: string[];
  /** SKUs missing from the menu. */
  unknownSkus: string[];
}

export function expandOrder(order: Pick<Order, 'items'>, menu: Menu): Expansion {
  const { expected, notCheckable, unknown } = expandLines(order.items, menu);
  return { expected, unverifiable: [...notCheckable.keys()], unknownSkus: [...unknown.keys()] };
}
