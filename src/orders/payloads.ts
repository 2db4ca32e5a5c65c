// The MQTT payload contract, defined once (TypeBox): the validator compiles these, the
// TypeScript types derive from them, and `write-schemas.ts` writes them to schemas/*.json
// for POS/KDS integrators (docs/mqtt.md). Extra properties in inbound messages are allowed and
// ignored, so a POS may send more than we read.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Alert, CameraStatus, Verdict } from '../types.js';

const SCHEMA_BASE = 'https://traycheck.local/schema/mqtt/';
/** Quantities above this are absurd for one order line and rejected. */
export const MAX_QTY = 100;
export const MAX_LINES = 100;

const NoControl = '^[^\\u0000-\\u001f\\u007f]+$';
const OrderId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: NoControl,
  description: 'POS order id (unique per store and day).',
});
const EventId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: NoControl,
  description: 'Unique id of this event (UUID recommended); a repeated eventId is ignored (idempotent).',
});
const Station = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: NoControl,
  description: 'KDS station, e.g. "expo" or "drive".',
});

export const OrderLineSchema = Type.Object(
  {
    sku: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: NoControl,
      description: 'POS SKU, looked up in the menu mapping.',
    }),
    qty: Type.Integer({ minimum: 1, maximum: MAX_QTY, description: `Units of this SKU, 1..${MAX_QTY}.` }),
    modifiers: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 20,
        description:
          'Modifiers of the line ("no_drink", "extra_sauce"): codes in the config modifiers mapping change what the camera expects; any other text keeps the line but makes it unverifiable.',
      }),
    ),
  },
  { description: 'One order line.' },
);

const orderFields = {
  orderId: OrderId,
  items: Type.Array(OrderLineSchema, {
    minItems: 1,
    maxItems: MAX_LINES,
    description: 'Order lines (the full order, not a delta).',
  }),
  placedAt: Type.Optional(
    Type.Union(
      [
        Type.String({ format: 'date-time', maxLength: 40, description: 'ISO 8601 date-time with offset.' }),
        Type.Integer({ minimum: 946684800000, maximum: 4102444800000, description: 'Epoch milliseconds.' }),
      ],
      { description: 'When the order was placed; default: when traycheck received it.' },
    ),
  ),
  channel: Type.Optional(
    Type.String({ minLength: 1, maxLength: 32, description: 'counter, drive-thru, kiosk, delivery...' }),
  ),
  station: Type.Optional(Station),
  version: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1_000_000_000,
      description:
        'Order version; default 1 for order.placed and previous + 1 for order.updated. A version not above the stored one is ignored.',
    }),
  ),
  eventId: Type.Optional(EventId),
};

export const OrderPlacedSchema = Type.Object(
  { type: Type.Literal('order.placed'), ...orderFields },
  {
    $id: `${SCHEMA_BASE}pos-order-placed.json`,
    title: 'order.placed',
    description: 'POS → <prefix>/<store>/pos: a new order.',
  },
);
export const OrderUpdatedSchema = Type.Object(
  { type: Type.Literal('order.updated'), ...orderFields },
  {
    $id: `${SCHEMA_BASE}pos-order-updated.json`,
    title: 'order.updated',
    description: 'POS → <prefix>/<store>/pos: full replacement of an order; re-opens verification.',
  },
);
export const OrderCancelledSchema = Type.Object(
  {
    type: Type.Literal('order.cancelled'),
    orderId: OrderId,
    reason: Type.Optional(Type.String({ maxLength: 200 })),
    eventId: Type.Optional(EventId),
  },
  {
    $id: `${SCHEMA_BASE}pos-order-cancelled.json`,
    title: 'order.cancelled',
    description: 'POS → <prefix>/<store>/pos: order voided.',
  },
);
export const OrderReadySchema = Type.Object(
  {
    type: Type.Literal('order.ready'),
    orderId: OrderId,
    station: Type.Optional(Station),
    eventId: Type.Optional(EventId),
  },
  {
    $id: `${SCHEMA_BASE}kds-order-ready.json`,
    title: 'order.ready',
    description:
      'KDS → <prefix>/<store>/kds: the order was bumped ready; the next tray at this station is linked to it first.',
  },
);
export const OrderServedSchema = Type.Object(
  { type: Type.Literal('order.served'), orderId: OrderId, eventId: Type.Optional(EventId) },
  {
    $id: `${SCHEMA_BASE}kds-order-served.json`,
    title: 'order.served',
    description: 'KDS → <prefix>/<store>/kds: handed to the guest.',
  },
);

export type OrderPlacedEvent = Static<typeof OrderPlacedSchema>;
export type OrderUpdatedEvent = Static<typeof OrderUpdatedSchema>;
export type OrderCancelledEvent = Static<typeof OrderCancelledSchema>;
export type OrderReadyEvent = Static<typeof OrderReadySchema>;
export type OrderServedEvent = Static<typeof OrderServedSchema>;
export type PosEvent =
  OrderPlacedEvent | OrderUpdatedEvent | OrderCancelledEvent | OrderReadyEvent | OrderServedEvent;
export type PosEventType = PosEvent['type'];

/** Which event types each inbound topic accepts. */
export const INBOUND_TYPES = {
  pos: {
    'order.placed': OrderPlacedSchema,
    'order.updated': OrderUpdatedSchema,
    'order.cancelled': OrderCancelledSchema,
  },
  kds: { 'order.ready': OrderReadySchema, 'order.served': OrderServedSchema },
} as const satisfies Record<string, Record<string, TSchema>>;
export type InboundChannel = keyof typeof INBOUND_TYPES;

// ---- outbound ----------------------------------------------------------------------------

export const RejectedEchoSchema = Type.Object(
  {
    reason: Type.String({
      description: 'Why it was rejected, e.g. "items[2].qty: expected integer 1..100, got -1".',
    }),
    topic: Type.String({ description: 'Topic the message arrived on.' }),
    payload: Type.String({ description: 'The raw payload, truncated (orders.rejectedPayloadBytes).' }),
    ts: Type.Integer({ description: 'Epoch ms when it was rejected.' }),
  },
  {
    $id: `${SCHEMA_BASE}pos-rejected.json`,
    title: 'rejected message',
    description: 'traycheck → <prefix>/<store>/pos/rejected.',
  },
);

export const StatusSchema = Type.Union([Type.Literal('online'), Type.Literal('offline')], {
  $id: `${SCHEMA_BASE}status.json`,
  title: 'daemon status',
  description:
    'traycheck → <prefix>/<store>/status, retained, plain text (not JSON): "online", or "offline" (also the last will).',
});

const Counts = Type.Record(Type.String(), Type.Integer(), { description: 'Detector label → count.' });
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

const verdictFields = {
  id: Type.Optional(Type.Integer()),
  trayId: Type.String(),
  cameraId: Type.String(),
  orderId: NullableString,
  orderVersion: Type.Optional(NullableInt),
  link: Type.Union([
    Type.Literal('ready'),
    Type.Literal('best-match'),
    Type.Literal('fifo'),
    Type.Literal('none'),
  ]),
  result: Type.Union([
    Type.Literal('ok'),
    Type.Literal('mismatch'),
    Type.Literal('uncertain'),
    Type.Literal('unlinked'),
  ]),
  expected: Counts,
  observed: Counts,
  missing: Counts,
  extra: Counts,
  unverifiable: Type.Array(Type.String(), {
    description:
      'Order lines no camera can check: the SKU (menu verify: false, unknown SKU), or the SKU with its modifiers when a modifier is not in the modifiers mapping ("COMBO1 (no ice)").',
  }),
  lines: Type.Optional(
    Type.Array(Type.String(), {
      description:
        'The linked order\'s lines as staff read them, modifiers applied ("Burger Meal, no drink").',
    }),
  ),
  trayInferred: Type.Optional(
    Type.Boolean({
      description: 'true: no tray box was seen; the tray is a settled group of items in the check zone.',
    }),
  ),
  uncertain: Type.Array(Type.String(), { description: 'Labels whose count flickered.' }),
  ts: Type.Integer({ description: 'Verdict time, epoch ms.' }),
  settledTs: Type.Optional(Type.Integer()),
  modelSha256: Type.Optional(Type.String()),
  snapshotId: Type.Optional(NullableString),
};
const VerdictBody = Type.Object(verdictFields);
export const VerdictSchema = Type.Object(verdictFields, {
  $id: `${SCHEMA_BASE}verdict.json`,
  title: 'verdict',
  description: 'traycheck → <prefix>/<store>/verdict: one per settled tray.',
});

export const AlertSchema = Type.Object(
  {
    id: Type.Integer(),
    trayId: Type.String(),
    cameraId: Type.String(),
    orderId: NullableString,
    verdict: VerdictBody,
    status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')]),
    resolution: Type.Optional(
      Type.Union([
        Type.Literal('corrected'),
        Type.Literal('acknowledged'),
        Type.Literal('served-with-error'),
        Type.Literal('relinked'),
        Type.Literal('false-alarm'),
        Type.Null(),
      ]),
    ),
    openedAt: Type.Integer(),
    acknowledgedAt: Type.Optional(NullableInt),
    acknowledgedBy: Type.Optional(NullableString),
    resolvedAt: Type.Optional(NullableInt),
    snapshotId: Type.Optional(NullableString),
    latencyMs: Type.Optional(NullableInt),
    dismissedAt: Type.Optional(NullableInt),
    dismissedBy: Type.Optional(NullableString),
  },
  {
    $id: `${SCHEMA_BASE}alert.json`,
    title: 'alert',
    description: 'traycheck → <prefix>/<store>/alert: on every alert change.',
  },
);

export const CameraStatusSchema = Type.Object(
  {
    cameraId: Type.String(),
    state: Type.Union([
      Type.Literal('connecting'),
      Type.Literal('online'),
      Type.Literal('stalled'),
      Type.Literal('offline'),
    ]),
    since: Type.Integer({ description: 'Time of the last state change, epoch ms.' }),
    fps: Type.Number(),
    framesTotal: Type.Integer(),
    framesDropped: Type.Integer(),
    lastFrameTs: NullableInt,
    lastError: NullableString,
    restarts: Type.Integer(),
    idle: Type.Optional(Type.Boolean()),
    ingestFps: Type.Optional(Type.Number()),
    framesSkipped: Type.Optional(Type.Integer()),
  },
  {
    $id: `${SCHEMA_BASE}camera-status.json`,
    title: 'camera status',
    description: 'traycheck → <prefix>/<store>/camera/<id>/status, retained.',
  },
);

/** File name (in schemas/) → schema. */
export const PAYLOAD_SCHEMAS: Record<string, TSchema> = {
  'pos-order-placed.json': OrderPlacedSchema,
  'pos-order-updated.json': OrderUpdatedSchema,
  'pos-order-cancelled.json': OrderCancelledSchema,
  'kds-order-ready.json': OrderReadySchema,
  'kds-order-served.json': OrderServedSchema,
  'pos-rejected.json': RejectedEchoSchema,
  'status.json': StatusSchema,
  'verdict.json': VerdictSchema,
  'alert.json': AlertSchema,
  'camera-status.json': CameraStatusSchema,
};

// Compile-time guard: the outbound schemas describe exactly the types the other stages publish.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type OutboundSchemasMatchTypes = [
  Assert<Same<Static<typeof VerdictSchema>, Verdict>>,
  Assert<Same<Static<typeof AlertSchema>, Alert>>,
  Assert<Same<Static<typeof CameraStatusSchema>, CameraStatus>>,
];

/** The text of schemas/<file> for a schema (what write-schemas.ts writes and the test compares). */
export function schemaFileText(schema: TSchema): string {
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2) + '\n';
}
