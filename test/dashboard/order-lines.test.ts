// Order lines on the dashboard read as the menu module writes them: "1 × Burger Meal, no drink".
import { describe, expect, it } from 'vitest';
import { checklist } from '../../src/dashboard/queries/alert-order.js';
import { orderDto, orderLines } from '../../src/dashboard/present.js';

const menu = {
  COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 }, verify: true },
  DIP: { name: 'Dip', contains: { sauce: 1 }, verify: true },
};
const modifiers = {
  no_drink: { change: { drink: -1 } },
  extra_dip: { name: 'extra dip', change: { sauce: 1 } },
};

describe('order lines with modifiers', () => {
  it('modifier words from the modifiers section; unknown ones as the POS sent them', () => {
    const lines = orderLines(
      [
        { sku: 'COMBO1', qty: 1, modifiers: ['No Drink', 'no ice'] },
        { sku: 'DIP', qty: 2, modifiers: ['extra_dip'] },
        { sku: 'MYSTERY', qty: 1 },
      ],
      menu,
      modifiers,
    );
    expect(lines).toEqual(['1 × Burger Meal, no drink, no ice', '2 × Dip, extra dip', '1 × MYSTERY']);
  });

  it('the order DTO and the alert checklist say the same', () => {
    const items = [{ sku: 'COMBO1', qty: 1, modifiers: ['no_drink'] }];
    const dto = orderDto(
      { orderId: '1', version: 1, items, status: 'ready', placedAt: 0, updatedAt: 0 },
      menu,
      modifiers,
    );
    expect(dto.lines).toEqual(['1 × Burger Meal, no drink']);
    expect(checklist(items, { fries: 1 }, {}, menu, modifiers).lines).toEqual([
      { text: '1 × Burger Meal, no drink', state: 'missing', missing: ['1 × Fries'] },
    ]);
  });
});
