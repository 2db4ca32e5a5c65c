// Menu items of a label the store is still teaching. A technician adds the menu item
// for a new product (HOTDOG → { hotdog: 1 }) when the product launches, before any model knows
// the label: until the running model knows it, the item is not checked (its lines are listed
// as unverifiable, as `verify: false` would), and from the frame a model that knows it is
// promoted, the item is checked, with no restart. Only labels in the store's label registry
// (<dataDir>/teach/labels.json) wait this way: any other unknown menu label is still a config
// error at start.
import type { Menu } from '../config/schema.js';

/**
 * The menu with each item that uses one of `newLabels` checked only while `modelLabels()` (the
 * running model's labels, read at each order) has all of them. `verify` becomes a getter: the
 * menu expansion reads it per order, so a model swap takes effect at the next order.
 */
export function menuWithNewLabels(
  menu: Menu,
  newLabels: readonly string[],
  modelLabels: () => readonly string[],
): Menu {
  if (!newLabels.length) return menu;
  const out: Menu = {};
  for (const [sku, item] of Object.entries(menu)) {
    const waitsFor = Object.entries(item.contains)
      .filter(([label, n]) => n > 0 && newLabels.includes(label))
      .map(([label]) => label);
    if (!waitsFor.length || !item.verify) {
      out[sku] = item;
      continue;
    }
    out[sku] = {
      name: item.name,
      contains: item.contains,
      get verify(): boolean {
        const known = modelLabels();
        return waitsFor.every((l) => known.includes(l));
      },
    };
  }
  return out;
}
