// Request/response schemas of the REST API (fastify validates and serialises with them;
// openapi.ts turns them into /api/openapi.json).
import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Counts = Type.Record(Type.String(), Type.Number(), { description: 'Count per detector label.' });

export const ErrorReply = Type.Object({ error: Type.String() });
export const OkReply = Type.Object({ ok: Type.Boolean() });

/** Every refusal an account action can answer with (auth/service.ts AuthStatus). */
export const AuthErrors = {
  400: ErrorReply,
  401: ErrorReply,
  403: ErrorReply,
  404: ErrorReply,
  409: ErrorReply,
  410: ErrorReply,
  429: ErrorReply,
};

/** A reply that is a file or a stream, not JSON (its type is in the route's `produces`). */
export const FileReply = Type.Unknown({ description: 'The file itself.' });

export const AlertDto = Type.Object({
  id: Type.Integer(),
  status: Type.String({ enum: ['open', 'acknowledged', 'resolved'] }),
  resolution: Nullable(
    Type.String({ enum: ['corrected', 'acknowledged', 'served-with-error', 'relinked', 'false-alarm'] }),
  ),
  orderId: Nullable(Type.String()),
  trayId: Type.String(),
  cameraId: Type.String(),
  openedAt: Type.Number(),
  acknowledgedAt: Nullable(Type.Number()),
  acknowledgedBy: Nullable(Type.String()),
  resolvedAt: Nullable(Type.Number()),
  snapshotId: Nullable(Type.String()),
  latencyMs: Nullable(Type.Number()),
  dismissedAt: Nullable(
    Type.Number({ description: 'A served-with-error alert taken off the wall screens.' }),
  ),
  dismissedBy: Nullable(Type.String()),
  result: Type.String(),
  missing: Counts,
  extra: Counts,
  uncertain: Type.Array(Type.String()),
  unverifiable: Type.Array(Type.String()),
  lines: Type.Array(Type.String(), { description: 'Plain words, e.g. "Missing: 1 × Fries".' }),
  summary: Type.String(),
  order: Type.Optional(
    Nullable(
      Type.Object(
        {
          lines: Type.Array(
            Type.Object({
              text: Type.String({ description: 'e.g. "1 × Burger Meal"' }),
              state: Type.String({ enum: ['ok', 'missing', 'unchecked'] }),
              missing: Type.Array(Type.String()),
            }),
          ),
          extras: Type.Array(Type.String(), { description: 'On the tray, not ordered.' }),
        },
        { description: 'The order as a checklist; null when the order is unknown.' },
      ),
    ),
  ),
});

export const VerdictRow = Type.Object({
  id: Type.Integer(),
  trayId: Type.String(),
  cameraId: Type.String(),
  orderId: Nullable(Type.String()),
  link: Type.String(),
  result: Type.String(),
  expected: Counts,
  observed: Counts,
  missing: Counts,
  extra: Counts,
  unverifiable: Type.Array(Type.String()),
  uncertain: Type.Array(Type.String()),
  snapshotId: Nullable(Type.String()),
  ts: Type.Number(),
  summary: Type.String(),
  alertResolution: Nullable(Type.String()),
});

export const VerdictQuery = Type.Object({
  orderId: Type.Optional(Type.String({ maxLength: 64 })),
  result: Type.Optional(Type.String({ enum: ['ok', 'mismatch', 'uncertain', 'unlinked'] })),
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, exclusive.' })),
  cameraId: Type.Optional(Type.String({ maxLength: 64 })),
  item: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_.-]{1,64}$',
      description: 'Detector label: verdicts where it was missing or extra.',
    }),
  ),
  page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 25 }),
});

export const OrderRow = Type.Object({
  orderId: Type.String(),
  version: Type.Integer(),
  status: Type.String(),
  station: Nullable(Type.String()),
  placedAt: Type.Number(),
  readyAt: Nullable(Type.Number()),
  updatedAt: Type.Number(),
  lines: Type.Array(Type.String()),
  verdict: Nullable(
    Type.Object({
      id: Type.Integer(),
      result: Type.String(),
      summary: Type.String(),
      snapshotId: Nullable(Type.String()),
    }),
  ),
});

export const Percentiles = Type.Object({
  p50: Nullable(Type.Number()),
  p95: Nullable(Type.Number()),
  n: Type.Integer(),
});

export const PeriodStats = Type.Object({
  from: Type.Number(),
  to: Type.Number(),
  traysVerified: Type.Integer({ description: 'Settled trays compared with a linked order.' }),
  verdicts: Type.Integer({ description: 'All verdicts, unlinked included.' }),
  ok: Type.Integer(),
  mismatches: Type.Integer(),
  accuracyRate: Nullable(Type.Number({ description: 'ok / verdicts linked to an order.' })),
  errorsCaught: Type.Integer({ description: 'Alerts resolved as corrected.' }),
  servedWithError: Type.Integer(),
  falseAlarms: Type.Integer({ description: 'Alerts staff marked a false alarm (the tray was right).' }),
  mostMissed: Type.Array(Type.Object({ label: Type.String(), name: Type.String(), count: Type.Integer() })),
  itemsMissing: Type.Integer({ description: 'Items missing from trays, summed over mismatches.' }),
  itemsExtra: Type.Integer({
    description: 'Items on trays that were not ordered (wrong item or substitution).',
  }),
  mostExtra: Type.Array(Type.Object({ label: Type.String(), name: Type.String(), count: Type.Integer() })),
  latencyMs: Percentiles,
});

export const RangeStats = Type.Object({
  current: PeriodStats,
  previous: Type.Object(PeriodStats.properties, {
    description: 'The period of the same length just before, for comparison.',
  }),
  hourly: Type.Array(Type.Integer(), {
    minItems: 24,
    maxItems: 24,
    description: 'Mismatches per hour of the day (local time, 0-23) within the range: the heat map.',
  }),
});

export const ManagerStats = Type.Object({
  today: PeriodStats,
  last7Days: PeriodStats,
  daily: Type.Array(
    Type.Object({
      day: Type.String(),
      from: Type.Number(),
      traysVerified: Type.Integer(),
      mismatches: Type.Integer(),
      errorsCaught: Type.Integer(),
    }),
  ),
});

export const ComponentHealth = Type.Object(
  {
    state: Type.String({ enum: ['ok', 'degraded', 'down'] }),
    detail: Type.String(),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);

export const HealthReport = Type.Object({
  status: Type.String({ enum: ['ok', 'degraded'] }),
  version: Type.String(),
  startedAt: Type.Number(),
  uptimeS: Type.Number(),
  components: Type.Record(Type.String(), ComponentHealth),
});

export const CameraStatusDto = Type.Object(
  {
    cameraId: Type.String(),
    state: Type.String(),
    since: Type.Number(),
    fps: Type.Number(),
    framesTotal: Type.Number(),
    framesDropped: Type.Number(),
    lastFrameTs: Nullable(Type.Number()),
    lastError: Nullable(Type.String()),
    restarts: Type.Number(),
    idle: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

export const UserDto = Type.Object({
  username: Type.String(),
  role: Type.String({ enum: ['admin', 'staff', 'display'] }),
  createdAt: Type.Optional(Type.Number()),
  updatedAt: Type.Optional(Type.Number()),
});

export const MeReply = Type.Object({
  username: Type.String(),
  role: Type.String({ enum: ['admin', 'staff', 'display'] }),
  csrfToken: Type.String({ description: 'Send as X-CSRF-Token on every POST/DELETE.' }),
  alertEscalateAfterS: Type.Integer({ description: 'An alert open this long is shown as urgent.' }),
  storeName: Type.String(),
  storeId: Type.String(),
  version: Type.String(),
});
