// POS/KDS payloads as integrators send them (docs/mqtt.md, "Inbound payloads"), each with an
// `eventId` so a redelivered copy is recognised as a duplicate.
export const placed = (orderId: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    type: 'order.placed',
    orderId,
    eventId: `placed-${orderId}`,
    items: [{ sku: 'COMBO1', qty: 1 }],
    ...extra,
  });

type Line = { sku: string; qty: number; modifiers?: string[] };

/** Full replacement of the lines; `version` 2 unless given (a later placed v1 is then stale). */
export const updated = (orderId: string, items: Line[], version = 2): string =>
  JSON.stringify({
    type: 'order.updated',
    orderId,
    eventId: `updated-${orderId}-v${version}`,
    version,
    items,
  });

export const ready = (orderId: string, station = 'expo'): string =>
  JSON.stringify({ type: 'order.ready', orderId, station, eventId: `ready-${orderId}` });

export const served = (orderId: string): string =>
  JSON.stringify({ type: 'order.served', orderId, eventId: `served-${orderId}` });

export const cancelled = (orderId: string, reason = 'guest left'): string =>
  JSON.stringify({ type: 'order.cancelled', orderId, reason, eventId: `cancelled-${orderId}` });
