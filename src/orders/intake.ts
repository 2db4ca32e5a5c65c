// One inbound MQTT message → validated event → order book, or → rejection. Synchronous, and
// throws only when the store fails (then the message stays unacknowledged; see mqtt.ts).
import type { Menu, Modifiers } from '../config/schema.js';
import type { OrderBook } from './book.js';
import { expandOrder } from '../menu/index.js';
import type { InboundChannel } from './payloads.js';
import type { Rejections } from './rejections.js';
import { validateMessage, type ValidateLimits } from './validate.js';

export interface IntakeDeps {
  book: OrderBook;
  rejections: Rejections;
  menu: Menu;
  modifiers?: Modifiers;
  limits: ValidateLimits;
  now?: () => number;
}

export interface IntakeStats {
  received: number;
  accepted: number;
  rejected: number;
  unknownSkuLines: number;
  /** Lines kept with a modifier the mapping does not know (unverifiable, not rejected). */
  unknownModifierLines: number;
}

export interface Intake {
  handle(channel: InboundChannel, topic: string, payload: Buffer): void;
  stats(): IntakeStats;
}

export function createIntake({
  book,
  rejections,
  menu,
  modifiers,
  limits,
  now = Date.now,
}: IntakeDeps): Intake {
  const stats: IntakeStats = {
    received: 0,
    accepted: 0,
    rejected: 0,
    unknownSkuLines: 0,
    unknownModifierLines: 0,
  };
  return {
    handle(channel, topic, payload) {
      stats.received++;
      const v = validateMessage(payload, channel, limits);
      if (!v.ok) {
        rejections.record(topic, payload, v.reason, v.key);
        stats.rejected++;
        return;
      }
      const ev = v.event;
      const r = book.handle(ev, topic, now());
      stats.accepted++;
      // Unknown SKUs keep the order (the line shows as not checkable) but are reported once per
      // stored version, so a technician sees the menu drift.
      if (
        (ev.type === 'order.placed' || ev.type === 'order.updated') &&
        (r.outcome === 'created' || r.outcome === 'changed')
      ) {
        const expansion = expandOrder({ items: ev.items }, menu, modifiers);
        for (const sku of expansion.unknownSkus) {
          stats.unknownSkuLines++;
          rejections.record(topic, payload, `unknown SKU: ${sku}`, 'unknown-sku');
        }
        // Free-text modifiers are normal POS traffic, not drift: counted, never recorded as rejections.
        stats.unknownModifierLines += expansion.unverifiable.filter(
          (u) => u.reason === 'unknown-modifier',
        ).length;
      }
    },
    stats: () => ({ ...stats }),
  };
}
