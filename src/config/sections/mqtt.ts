import { Type } from '@sinclair/typebox';

export const MqttSection = Type.Object(
  {
    url: Type.Optional(
      Type.String({ description: 'Broker URL (mqtt://, mqtts://). Empty → start the embedded broker.' }),
    ),
    username: Type.Optional(Type.String({ description: 'Broker username.' })),
    password: Type.Optional(Type.String({ description: 'Broker password (secret; masked everywhere).' })),
    caFile: Type.Optional(Type.String({ description: 'CA certificate file for mqtts://.' })),
    clientId: Type.Optional(
      Type.String({
        description: 'Fixed client id for the persistent session. Default traycheck-<store id>.',
      }),
    ),
    prefix: Type.String({
      default: 'traycheck',
      pattern: '^[^#+]+$',
      description: 'Topic prefix: <prefix>/<store>/pos ...',
    }),
    protocolVersion: Type.Union([Type.Literal(4), Type.Literal(5)], {
      default: 5,
      description:
        'MQTT protocol of an external broker: 5 (MQTT 5, session expiry) or 4 (MQTT 3.1.1). The embedded broker always uses 4.',
    }),
    sessionExpiryHours: Type.Number({
      default: 168,
      minimum: 0.1,
      maximum: 8760,
      description:
        'MQTT 5: how long the broker keeps our session and queued POS messages while traycheck is down.',
    }),
    keepaliveS: Type.Integer({
      default: 30,
      minimum: 5,
      maximum: 600,
      description: 'Keepalive interval; a dead broker is noticed after about 1.5× this.',
    }),
    reconnectMinMs: Type.Integer({
      default: 1000,
      minimum: 100,
      maximum: 60000,
      description: 'First reconnect delay (doubles per failed attempt, with jitter).',
    }),
    reconnectMaxMs: Type.Integer({
      default: 30000,
      minimum: 1000,
      maximum: 600000,
      description: 'Reconnect delay cap.',
    }),
    offlineQueueMax: Type.Integer({
      default: 1000,
      minimum: 0,
      maximum: 100000,
      description:
        'Outbound QoS 1 messages kept while disconnected (oldest dropped and counted beyond this; QoS 0 is dropped).',
    }),
    rejectUnauthorized: Type.Boolean({
      default: true,
      description:
        'mqtts://: refuse a broker certificate that does not verify against caFile / the system CAs.',
    }),
    embedded: Type.Object(
      {
        host: Type.String({
          default: '127.0.0.1',
          description: 'Embedded broker bind address (0.0.0.0 lets a POS on the LAN publish).',
        }),
        port: Type.Integer({
          default: 1883,
          minimum: 0,
          maximum: 65535,
          description:
            'Embedded broker port (0 = any free port). Its state (sessions, queued QoS 1 messages) lives in <storage.dataDir>/broker/.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
