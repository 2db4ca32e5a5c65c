import { Type } from '@sinclair/typebox';

export const DashboardSection = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Serve the dashboard and API.' }),
    bind: Type.String({
      default: '127.0.0.1',
      description: 'Listen address; set the LAN address so the counter tablet can reach it.',
    }),
    port: Type.Integer({
      default: 8080,
      minimum: 0,
      maximum: 65535,
      description: 'HTTP(S) port (0 = any free port).',
    }),
    tlsCert: Type.Optional(Type.String({ description: 'PEM certificate file; with tlsKey serves HTTPS.' })),
    tlsKey: Type.Optional(Type.String({ description: 'PEM private key file.' })),
    sessionTtlHours: Type.Number({
      default: 12,
      minimum: 0.1,
      maximum: 720,
      description: 'Login session lifetime.',
    }),
    displaySessionDays: Type.Number({
      default: 365,
      minimum: 1,
      maximum: 400,
      description:
        'Lifetime of a paired wall screen (display role: read-only, may acknowledge), revocable on /tech. Browsers keep a cookie 400 days at most.',
    }),
    trustedProxies: Type.Array(
      Type.String({
        pattern: '^([0-9a-fA-F:.]+(/[0-9]{1,3})?|loopback|linklocal|uniquelocal)$',
        description: 'An IP address, a CIDR range, or loopback / linklocal / uniquelocal.',
      }),
      {
        default: [],
        maxItems: 32,
        description:
          'Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (login throttling, logs). Empty: the socket address counts.',
      },
    ),
    alertEscalateAfterS: Type.Integer({
      default: 90,
      minimum: 10,
      maximum: 3600,
      description: 'An alert still open after this long turns red on the staff screen and sounds again.',
    }),
    metricsToken: Type.Optional(
      Type.String({
        minLength: 16,
        description:
          'Bearer token for /metrics and /api/health (secret). Unset: both are open only while bind is a loopback address; otherwise they need a login session.',
      }),
    ),
    loginMaxFailures: Type.Integer({
      default: 5,
      minimum: 1,
      maximum: 100,
      description: 'Failed logins per IP and per user within loginWindowMin before 429.',
    }),
    loginWindowMin: Type.Number({
      default: 5,
      minimum: 0.1,
      maximum: 1440,
      description: 'Window of the login rate limit (minutes).',
    }),
    bodyLimitBytes: Type.Integer({
      default: 65536,
      minimum: 1024,
      maximum: 1048576,
      description: 'Larger request bodies are refused with 413.',
    }),
    sseHeartbeatMs: Type.Integer({
      default: 1000,
      minimum: 1000,
      maximum: 120000,
      description:
        'Heartbeat (ping event) interval on /api/events. A page that hears nothing for two heartbeats + 1 s says NOT CONNECTED: 1000 ms makes that 3 s.',
    }),
    sseMaxBufferedBytes: Type.Integer({
      default: 262144,
      minimum: 4096,
      maximum: 16777216,
      description:
        'A live-event client with more unsent bytes than this is dropped (it reconnects); it never slows the daemon.',
    }),
    liveFps: Type.Number({
      default: 5,
      minimum: 0.5,
      maximum: 30,
      description: 'Most frames per second encoded for the live view (only while someone watches).',
    }),
    liveJpegQuality: Type.Integer({
      default: 70,
      minimum: 30,
      maximum: 95,
      description: 'JPEG quality of the live view.',
    }),
  },
  { additionalProperties: false, default: {} },
);
