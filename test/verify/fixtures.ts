// Builders for verification tests: a small menu, orders and settled-tray observations.
import type { Menu } from '../../src/config/schema.js';
import type { LabelCounts, Order, OrderStatus, TrayObservation } from '../../src/types.js';

export const NOW = 1_700_000_000_000;
export const MIN = 60_000;

export const MENU: Menu = {
  COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 }, verify: true },
  COMBO2: { name: 'Nugget Meal', contains: { nuggets: 1, fries: 1, drink: 1, sauce: 1 }, verify: true },
  BURGER: { name: 'Burger', contains: { burger: 1 }, verify: true },
  FRIES: { name: 'Fries', contains: { fries: 1 }, verify: true },
  DRINK: { name: 'Drink', contains: { drink: 1 }, verify: true },
  NUGGETS6: { name: '6 Nuggets', contains: { nuggets: 1 }, verify: true },
  WRAP: { name: 'Wrap', contains: { wrap: 1 }, verify: true },
  SALAD: { name: 'Salad', contains: { salad: 1 }, verify: true },
  DIP: { name: 'Dip', contains: { sauce: 1 }, verify: true },
  GIFT_CARD: { name: 'Gift card', contains: {}, verify: false },
  BAGGED_DIP: { name: 'Dip in the bag', contains: { sauce: 1 }, verify: false },
  NAPKINS: { name: 'Napkins', contains: {}, verify: true },
};

export interface OrderOpts {
  status?: OrderStatus;
  /** minutes before NOW */
  placedMinAgo?: number;
  readyMinAgo?: number | null;
  station?: string | null;
  version?: number;
}

export function order(orderId: string, lines: [string, number][], o: OrderOpts = {}): Order {
  const placedAt = NOW - (o.placedMinAgo ?? 5) * MIN;
  const status = o.status ?? 'ready';
  return {
    orderId,
    version: o.version ?? 1,
    station: o.station === undefined ? 'expo' : o.station,
    channel: null,
    items: lines.map(([sku, qty]) => ({ sku, qty })),
    status,
    placedAt,
    readyAt: o.readyMinAgo != null ? NOW - o.readyMinAgo * MIN : status === 'ready' ? placedAt + MIN : null,
    updatedAt: placedAt,
  };
}

export function tray(items: LabelCounts, o: Partial<TrayObservation> = {}): TrayObservation {
  return {
    cameraId: 'expo',
    trayId: 'expo-1',
    station: 'expo',
    phase: 'settled',
    items,
    uncertain: [],
    ts: NOW - 40,
    settledSinceTs: NOW - 1040,
    ...o,
  };
}

export const OPTS = { now: NOW, bestMatchWindowMin: 30, maxBestMatchDiff: 3, modelSha256: 'abc123' };
