// Modifier codes and the words staff read ("Burger Meal, no drink"). POS systems spell the same
// modifier "no_drink", "No Drink" or "no-drink"; all three are one code.
import type { Menu, Modifiers } from '../config/schema.js';
import type { OrderLine } from '../types.js';

export const modifierCode = (raw: string): string =>
  raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** The staff words of a modifier: its configured name, else the code with spaces, else the POS text. */
export function modifierName(raw: string, modifiers: Modifiers): string {
  const code = modifierCode(raw);
  const known = Object.hasOwn(modifiers, code) ? modifiers[code] : undefined;
  if (!known) return raw.trim();
  return known.name ?? code.replace(/_/g, ' ');
}

/** "Burger Meal, no drink", "2 × Fries", "MYSTERY" (an unknown SKU shows as sent). */
export function lineText(line: OrderLine, menu: Menu, modifiers: Modifiers = {}): string {
  const name = Object.hasOwn(menu, line.sku) ? (menu[line.sku]?.name ?? line.sku) : line.sku;
  const mods = (line.modifiers ?? []).map((m) => modifierName(m, modifiers));
  return `${line.qty > 1 ? `${line.qty} × ` : ''}${[name, ...mods].join(', ')}`;
}
