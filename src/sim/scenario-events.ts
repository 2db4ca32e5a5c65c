// The POS/KDS messages a scenario implies, in time order, exactly as a real POS would
// publish them (DESIGN.md MQTT contract). Pure: the publisher decides when to send.
import type { Scenario } from './scenario.js';

export interface ScenarioEvent {
  /** Seconds from scenario start. */
  atS: number;
  channel: 'pos' | 'kds';
  payload: Record<string, unknown>;
}

export function scenarioEvents(sc: Scenario, startEpochMs: number, orderPrefix = ''): ScenarioEvent[] {
  const events: ScenarioEvent[] = [];
  for (const o of sc.orders) {
    const orderId = orderPrefix + o.id;
    const eventId = (kind: string, n = 0): string => `${sc.name}:${orderId}:${kind}:${n}`;
    events.push({
      atS: o.at,
      channel: 'pos',
      payload: {
        type: 'order.placed',
        orderId,
        items: o.items,
        placedAt: new Date(startEpochMs + o.at * 1000).toISOString(),
        eventId: eventId('placed'),
      },
    });
    o.updates.forEach((u, i) =>
      events.push({
        atS: u.at,
        channel: 'pos',
        payload: { type: 'order.updated', orderId, items: u.items, eventId: eventId('updated', i) },
      }),
    );
    if (o.readyAt !== undefined) {
      events.push({
        atS: o.readyAt,
        channel: 'kds',
        payload: {
          type: 'order.ready',
          orderId,
          station: o.station ?? sc.station,
          eventId: eventId('ready'),
        },
      });
    }
    if (o.cancelAt !== undefined)
      events.push({
        atS: o.cancelAt,
        channel: 'pos',
        payload: { type: 'order.cancelled', orderId, eventId: eventId('cancelled') },
      });
    if (o.servedAt !== undefined)
      events.push({
        atS: o.servedAt,
        channel: 'kds',
        payload: { type: 'order.served', orderId, eventId: eventId('served') },
      });
  }
  return events.sort((a, b) => a.atS - b.atS);
}
