// The order behind an alert as a checklist: each order line in menu names, marked
// when items it contains are missing, plus the extras nobody ordered, so staff fix the tray
// without opening the POS.
import type { QueueRepo } from '../../store/queue-repo.js';
import type { Modifiers } from '../../config/schema.js';
import type { LabelCounts, OrderLine } from '../../types.js';
import { labelName, orderLineText, type Menu } from '../present.js';
import { parseJson } from './json.js';

export interface ChecklistLine {
  text: string;
  /** ok: nothing of it is missing; missing: some of it is; unchecked: the menu says not verified. */
  state: 'ok' | 'missing' | 'unchecked';
  /** What of this line is missing, in menu names, e.g. "1 × Fries". */
  missing: string[];
}

export interface OrderChecklist {
  lines: ChecklistLine[];
  extras: string[];
}

/** Pure: hands each missing item to the first order line that contains it. */
export function checklist(
  items: OrderLine[],
  missing: LabelCounts,
  extra: LabelCounts,
  menu: Menu,
  modifiers: Modifiers = {},
): OrderChecklist {
  const left: Record<string, number> = { ...missing };
  const lines = items.map((l): ChecklistLine => {
    const entry = menu[l.sku];
    const text = orderLineText(l, menu, modifiers);
    if (!entry || !entry.verify) return { text, state: 'unchecked', missing: [] };
    const gone: string[] = [];
    for (const [label, per] of Object.entries(entry.contains)) {
      const take = Math.min(left[label] ?? 0, per * l.qty);
      if (take <= 0) continue;
      left[label] = (left[label] ?? 0) - take;
      gone.push(`${take} × ${labelName(label, menu)}`);
    }
    return { text, state: gone.length ? 'missing' : 'ok', missing: gone };
  });
  const extras = Object.entries(extra)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${n} × ${labelName(label, menu)}`);
  return { lines, extras };
}

export function createAlertOrders(queue: QueueRepo, menu: Menu, modifiers: Modifiers = {}) {
  return {
    checklist(orderId: string | null, missing: LabelCounts, extra: LabelCounts): OrderChecklist | null {
      const json = orderId ? queue.itemsJson(orderId) : null;
      return json === null
        ? null
        : checklist(parseJson<OrderLine[]>(json, []), missing, extra, menu, modifiers);
    },
  };
}

export type AlertOrders = ReturnType<typeof createAlertOrders>;
