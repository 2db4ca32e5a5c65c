// /api/teach/frames (admin): the captured frames to label on /teach — a page of them, one with its
// boxes, its image, and saving the boxes with a state (to-label, done, excluded). The storage
// and the checks are in src/teach/frames.ts.
import { Type } from '@sinclair/typebox';
import { FRAME_ID_PATTERN } from '../../teach/frame-card.js';
import { MAX_BOXES } from '../../teach/frames.js';
import type { DashboardPlugin } from '../context.js';
import { ErrorReply } from '../schemas.js';

const State = Type.Union([Type.Literal('to-label'), Type.Literal('done'), Type.Literal('excluded')]);
const Coordinate = Type.Number({ minimum: -1e6, maximum: 1e6 });
const LabelBox = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 64 }),
    box: Type.Array(Coordinate, {
      minItems: 4,
      maxItems: 4,
      description: 'x1, y1, x2, y2 in pixels of the frame.',
    }),
  },
  { additionalProperties: false },
);
const Summary = Type.Object({
  id: Type.String(),
  capturedAt: Type.Number(),
  cameraId: Type.String(),
  trayId: Type.String(),
  reason: Type.String({ enum: ['sample', 'false-alarm'] }),
  alertId: Type.Union([Type.Integer(), Type.Null()]),
  state: State,
  orderItems: Type.Array(Type.String(), { description: "Detector labels the tray's order asked for." }),
  boxCount: Type.Integer(),
  imageUrl: Type.String(),
});
const Detail = Type.Composite([
  Summary,
  Type.Object({
    width: Type.Integer(),
    height: Type.Integer(),
    split: Type.String({ enum: ['train', 'heldout'] }),
    boxes: Type.Array(LabelBox),
    labels: Type.Array(Type.String(), { description: 'The order items first, then every model label.' }),
    labelledBy: Type.Union([Type.String(), Type.Null()]),
    labelledAt: Type.Union([Type.Number(), Type.Null()]),
  }),
]);
const ListQuery = Type.Object(
  {
    state: Type.Optional(State),
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    perPage: Type.Integer({ minimum: 1, maximum: 200, default: 24 }),
  },
  { additionalProperties: false },
);
const ListReply = Type.Object({
  capture: Type.Object({
    enabled: Type.Boolean({ description: 'teach.capture: off by default, then no new frames are kept.' }),
    everyNthTray: Type.Integer(),
    maxFrames: Type.Integer(),
    maxBytes: Type.Integer(),
    retentionDays: Type.Number(),
  }),
  total: Type.Integer({ description: 'Frames in this state (all when no state is given).' }),
  page: Type.Integer(),
  perPage: Type.Integer(),
  counts: Type.Object({ 'to-label': Type.Integer(), done: Type.Integer(), excluded: Type.Integer() }),
  frames: Type.Array(Summary, { description: 'Newest first.' }),
});
const IdParams = Type.Object({ id: Type.String({ pattern: FRAME_ID_PATTERN, maxLength: 200 }) });
const SaveBody = Type.Object(
  { boxes: Type.Array(LabelBox, { maxItems: MAX_BOXES }), state: State },
  { additionalProperties: false },
);

export const teachFrameRoutes: DashboardPlugin = (app, { ctx }, done) => {
  const frames = ctx.deps.teachFrames;
  if (!frames) return done();
  const admin = { access: 'admin' as const };

  app.get(
    '/api/teach/frames',
    {
      config: admin,
      schema: {
        summary: 'Captured frames to label, newest first, a page at a time (admin)',
        querystring: ListQuery,
        response: { 200: ListReply },
      },
    },
    (req) => ({ capture: frames.capture(), ...frames.list(req.query) }),
  );

  app.get(
    '/api/teach/frames/:id',
    {
      config: admin,
      schema: {
        summary: 'One captured frame with its boxes and the labels to offer (admin)',
        params: IdParams,
        response: { 200: Detail, 404: ErrorReply },
      },
    },
    async (req, reply) =>
      (await frames.get(req.params.id)) ?? reply.code(404).send({ error: 'no such frame' }),
  );

  app.get(
    '/api/teach/frames/:id/image',
    { config: admin, schema: { summary: 'A captured frame (JPEG, admin)', params: IdParams } },
    async (req, reply) => {
      const file = frames.imagePath(req.params.id);
      if (!file) return reply.code(404).send({ error: 'no such frame' });
      return reply.header('cache-control', 'private, max-age=3600').sendFile(file, '/');
    },
  );

  app.put(
    '/api/teach/frames/:id',
    {
      config: admin,
      schema: {
        summary:
          'Save the boxes of a frame and its state: done frames train the next candidate, excluded ones never do (admin)',
        params: IdParams,
        body: SaveBody,
        response: { 200: Detail, 400: ErrorReply, 404: ErrorReply },
      },
    },
    async (req, reply) => {
      const boxes = req.body.boxes.map((b) => ({
        label: b.label,
        box: b.box as [number, number, number, number],
      }));
      const r = await frames.save(
        req.params.id,
        { boxes, state: req.body.state },
        req.session?.username ?? 'unknown',
      );
      if (!r.ok) return reply.code(r.status).send({ error: r.error });
      req.log.info(
        { frame: req.params.id, state: r.frame.state, boxes: boxes.length },
        'teach frame labelled',
      );
      return r.frame;
    },
  );
  done();
};
