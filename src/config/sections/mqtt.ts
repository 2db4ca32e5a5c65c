import { Type } from '@sinclair/typebox';

export const MQTT_ROLES = ['pos', 'kds', 'observer', 'daemon'] as const;

const MqttUser = Type.Object(
  {
    username: Type.String({
      minLength: 1,
      maxLength: 128,
      pattern: '^[^\\s:]+$',
      description: 'Login name (no spaces or colons).',
    }),
    passwordHash: Type.String({
      pattern: '^scrypt\\$',
      description: 'scrypt hash made by `traycheck mqtt-user hash` (never the password itself).',
    }),
    role: Type.Union(
      MQTT_ROLES.map((r) => Type.Literal(r)),
      {
        description:
          'pos: publish <prefix>/<store>/pos, read .../pos/rejected and status; kds: publish .../kds, read status, verdicts, alerts; observer: read status, camera status, verdicts, alerts, rejections; daemon: everything.',
      },
    ),
  },
  { additionalProperties: false },
);

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
    users: Type.Array(MqttUser, {
      default: [],
      maxItems: 1000,
      description:
        'Embedded broker: who may connect, each with a role (pos, kds, observer, daemon). Empty: anonymous, loopback only.',
    }),
    embedded: Type.Object(
      {
        host: Type.String({
          default: '127.0.0.1',
          description:
            'Embedded broker bind address (0.0.0.0 lets a POS on the LAN publish; anything but 127.0.0.1, ::1 or localhost needs mqtt.users).',
        }),
        port: Type.Integer({
          default: 1883,
          minimum: 0,
          maximum: 65535,
          description:
            'Embedded broker port (0 = any free port). Its state (sessions, queued QoS 1 messages) lives in <storage.dataDir>/broker/.',
        }),
        tls: Type.Optional(
          Type.Object(
            {
              host: Type.String({
                default: '0.0.0.0',
                description: 'Bind address of the mqtts listener (needs mqtt.users unless loopback).',
              }),
              port: Type.Integer({
                default: 8883,
                minimum: 0,
                maximum: 65535,
                description: 'mqtts port (0 = any free port).',
              }),
              certFile: Type.String({
                minLength: 1,
                description:
                  'PEM certificate (chain) of the mqtts listener; `traycheck mqtt-cert` makes one.',
              }),
              keyFile: Type.String({ minLength: 1, description: 'PEM private key of the mqtts listener.' }),
            },
            {
              additionalProperties: false,
              description: 'An mqtts (MQTT over TLS) listener beside the plain one.',
            },
          ),
        ),
        maxPacketBytes: Type.Integer({
          default: 2097152,
          minimum: 1024,
          maximum: 16777216,
          description:
            'A client sending a larger MQTT packet is disconnected before the packet is read. Keep it above orders.maxPayloadBytes (checked): a too-large order is then rejected with a reason and acknowledged, not resent forever.',
        }),
        maxConnectionsPerAddress: Type.Integer({
          default: 16,
          minimum: 1,
          maximum: 10000,
          description: 'Open connections allowed from one IP address; more are closed at once.',
        }),
        maxMessagesPerSecond: Type.Integer({
          default: 200,
          minimum: 1,
          maximum: 100000,
          description:
            'PUBLISH packets one connection may send per second; beyond it the broker stops reading from that client until the next second (nothing is lost, a flood is slowed to this rate).',
        }),
        loginFailuresPerMinute: Type.Integer({
          default: 5,
          minimum: 1,
          maximum: 1000,
          description:
            'Failed logins from one IP address in a minute before every login from it is refused for lockoutS.',
        }),
        lockoutS: Type.Integer({
          default: 60,
          minimum: 1,
          maximum: 86400,
          description: 'How long an address that guessed too many passwords is refused.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
