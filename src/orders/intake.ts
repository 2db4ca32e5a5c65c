// One inbound MQTT message → validated event → order book, or → rejection. Synchronous, and
// throws only when the store fails (then the message stays unacknowledged; see mqtt.ts).
import type { Menu } from '../config/schema.js';
import type { OrderBook } from './book.js';
import { expandOrder } from './menu.js';
import type { InboundChannel } from './payloads.js';
import type { Rejections } from './rejections.js';
import { validateMessage, type ValidateLimits } from './validate.js';

export interface IntakeDeps {
  book: OrderBook;
  rejections: Rejections;
  menu: Menu;
  limits: ValidateLimits;
  now?: () => number;
}

export interface IntakeStats {
  received: number;
  accepted: number;
  rejected: number;
  unknownSkuLines: number;
}

export interface Intake {
  handle(channel: InboundChannel, topic: string, payload: Buffer): void;
  stats(): IntakeStats;
}

export function createIntake({ book, rejections, menu, limits, now = Date.now }: IntakeDeps): Intake {
  const stats: IntakeStats = { received: 0, accepted: 0, rejected: 0, unknownSkuLines: 0 };
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
        for (const sku of expandOrder({ items: ev.items }, menu).unknownSkus) {
          stats.unknownSkuLines++;
          rejections.record(topic, payload, `unknown SKU: ${sku}`, 'unknown-sku');
        }
      }
    },
    stats: () => ({ ...stats }),
  };
}
