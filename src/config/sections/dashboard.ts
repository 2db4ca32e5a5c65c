import { Type } from '@sinclair/typebox';

export const DashboardSection = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Serve the dashboard and API.' }),
    bind: Type.String({ default: '127.0.0.1', description: 'Listen address; set the LAN address so the counter tablet can reach it.' }),
    port: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'HTTP(S) port (0 = any free port).' }),
    tlsCert: Type.Optional(Type.String({ description: 'PEM certificate file; with tlsKey serves HTTPS.' })),
    tlsKey: Type.Optional(Type.String({ description: 'PEM private key file.' })),
    sessionTtlHours: Type.Number({ default: 12, minimum: 0.1, maximum: 720, description: 'Login session lifetime.' }),
  },
  { additionalProperties: false, default: {} },
);
