import { Type } from '@sinclair/typebox';

export const StoreSection = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
      description: 'Store id used in MQTT topics (traycheck/<id>/...): lowercase letters, digits, _ and -.',
      examples: ['store-042'],
    }),
    name: Type.String({
      default: 'Restaurant',
      maxLength: 200,
      description: 'Human name shown on the dashboard.',
    }),
  },
  { additionalProperties: false, description: 'Which restaurant this box serves.' },
);
