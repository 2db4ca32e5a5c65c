import { Type } from '@sinclair/typebox';

export const MenuItem = Type.Object(
  {
    name: Type.String({ description: 'Name shown to staff.' }),
    contains: Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 50 }), {
      default: {},
      description: 'Detector label → count per unit of this SKU.',
    }),
    verify: Type.Boolean({
      default: true,
      description: 'false: no camera can check this line (gift card, sauce in a bag).',
    }),
  },
  { additionalProperties: false },
);

export const MenuSection = Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }), MenuItem, {
  default: {},
  description: 'POS SKU → what it puts on the tray.',
});

export const Modifier = Type.Object(
  {
    name: Type.Optional(
      Type.String({
        description: 'Words staff read after the item ("no drink"); default: the code with spaces.',
      }),
    ),
    change: Type.Record(Type.String(), Type.Integer({ minimum: -10, maximum: 10 }), {
      default: {},
      description:
        'Detector label → change per unit of the line ({ drink: -1 }); {} for a modifier the camera cannot see (no pickles) but that is known.',
    }),
  },
  { additionalProperties: false },
);

export const ModifiersSection = Type.Record(Type.String({ pattern: '^[a-z0-9_]{1,64}$' }), Modifier, {
  default: {},
  description:
    'POS modifier code → change of what a line puts on the tray. Codes are matched lower-case with spaces and hyphens as underscores ("No Drink" = no_drink). A line with a modifier not listed here is kept but unverifiable: its contents are allowed, not required.',
});

export const OrdersSection = Type.Object(
  {
    ttlMinutes: Type.Number({
      default: 120,
      minimum: 1,
      maximum: 10080,
      description: 'Orders not served after this long expire.',
    }),
    maxPayloadBytes: Type.Integer({
      default: 65536,
      minimum: 1024,
      maximum: 1048576,
      description: 'Larger POS messages are rejected.',
    }),
    maxNestingDepth: Type.Integer({
      default: 8,
      minimum: 4,
      maximum: 64,
      description: 'POS messages with JSON nested deeper than this are rejected (checked before parsing).',
    }),
    rejectedPayloadBytes: Type.Integer({
      default: 2048,
      minimum: 64,
      maximum: 65536,
      description:
        'Bytes of a rejected payload kept in the store and echoed on <prefix>/<store>/pos/rejected.',
    }),
    rejectedMaxRows: Type.Integer({
      default: 50000,
      minimum: 100,
      maximum: 10000000,
      description: 'Newest rejected messages kept in the store; older rows are trimmed.',
    }),
    sweepIntervalS: Type.Number({
      default: 60,
      minimum: 1,
      maximum: 3600,
      description: 'How often open orders past ttlMinutes are expired.',
    }),
  },
  { additionalProperties: false, default: {} },
);
