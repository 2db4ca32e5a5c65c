import { Type } from '@sinclair/typebox';

export const MqttSection = Type.Object(
  {
    url: Type.Optional(Type.String({ description: 'Broker URL (mqtt://, mqtts://). Empty → start the embedded broker.' })),
    username: Type.Optional(Type.String({ description: 'Broker username.' })),
    password: Type.Optional(Type.String({ description: 'Broker password (secret; masked everywhere).' })),
    caFile: Type.Optional(Type.String({ description: 'CA certificate file for mqtts://.' })),
    clientId: Type.Optional(Type.String({ description: 'Fixed client id for the persistent session. Default traycheck-<store id>.' })),
    prefix: Type.String({ default: 'traycheck', pattern: '^[^#+]+$', description: 'Topic prefix: <prefix>/<store>/pos ...' }),
    embedded: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1', description: 'Embedded broker bind address (0.0.0.0 lets a POS on the LAN publish).' }),
        port: Type.Integer({ default: 1883, minimum: 0, maximum: 65535, description: 'Embedded broker port (0 = any free port).' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
