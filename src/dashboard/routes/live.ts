// Live view: an MJPEG stream (or single JPEGs) of frames the daemon already decodes, and the
// current trays checked line by line against their linked orders.
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { labelName } from '../present.js';
import { CameraStatusDto, ErrorReply, FileReply } from '../schemas.js';

const Params = Type.Object({ cameraId: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$' }) });
const BOUNDARY = 'traycheckframe';

const TrayLine = Type.Object({
  label: Type.String(),
  name: Type.String(),
  expected: Type.Union([Type.Integer(), Type.Null()]),
  counted: Type.Integer(),
  ok: Type.Union([Type.Boolean(), Type.Null()]),
});
const LiveTrayDto = Type.Object({
  trayId: Type.String(),
  settled: Type.Boolean(),
  orderId: Type.Union([Type.String(), Type.Null()]),
  box: Type.Array(Type.Number()),
  lines: Type.Array(TrayLine),
});

export const liveRoutes: DashboardPlugin = (app, { ctx }, done) => {
  const { cameras } = ctx.deps;
  const known = (id: string): boolean =>
    cameras.statuses().some((c) => c.cameraId === id) || id in cameras.zones();

  app.get(
    '/api/cameras',
    {
      schema: {
        summary: 'Camera status',
        response: { 200: Type.Object({ cameras: Type.Array(CameraStatusDto) }) },
      },
    },
    () => ({
      cameras: cameras.statuses(),
    }),
  );

  app.get(
    '/api/live/:cameraId.mjpg',
    {
      schema: {
        summary: 'Live picture with zone, detections and trays drawn (multipart/x-mixed-replace MJPEG)',
        produces: ['multipart/x-mixed-replace'],
        params: Params,
        response: { 404: ErrorReply },
      },
    },
    async (req, reply) => {
      const id = req.params.cameraId;
      if (!known(id)) return reply.code(404).send({ error: 'no such camera' });
      if (!req.session) throw new Error('unreachable: staff route without session');
      const owner = { username: req.session.username, sessionHash: req.session.idHash };
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...ctx.headers,
        'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
        'cache-control': 'no-store',
        connection: 'close',
      });
      res.flushHeaders();
      ctx.streams.add(res, owner);
      const send = (jpeg: Buffer): void => {
        // A viewer still holding more than a frame unsent skips this one: nothing piles up.
        if (res.destroyed || res.writableLength > jpeg.length) return;
        res.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
        res.write(jpeg);
        res.write('\r\n');
      };
      const stop = ctx.live.watch(id, send);
      res.on('close', () => {
        stop();
      });
      ctx.live.snapshot(id).then(
        (jpeg) => jpeg && send(jpeg),
        (err: unknown) => req.log.warn({ err }, 'first live frame failed'),
      );
    },
  );

  app.get(
    '/api/live/:cameraId.jpg',
    {
      schema: {
        summary: 'The latest live picture as one JPEG',
        produces: ['image/jpeg'],
        params: Params,
        response: { 200: FileReply, 404: ErrorReply },
      },
    },
    async (req, reply) => {
      const jpeg = known(req.params.cameraId) ? await ctx.live.snapshot(req.params.cameraId) : null;
      if (!jpeg) return reply.code(404).send({ error: 'no frame from this camera yet' });
      return reply.type('image/jpeg').header('cache-control', 'no-store').send(jpeg);
    },
  );

  app.get(
    '/api/live/:cameraId/trays',
    {
      schema: {
        summary: 'Trays in view now, each line of the linked order checked (✓/✗)',
        params: Params,
        response: {
          200: Type.Object({ cameraId: Type.String(), trays: Type.Array(LiveTrayDto) }),
          404: ErrorReply,
        },
      },
    },
    async (req, reply) => {
      const id = req.params.cameraId;
      if (!known(id)) return reply.code(404).send({ error: 'no such camera' });
      const trays = (ctx.deps.cameras.liveTrays?.(id) ?? []).map((t) => {
        const labels = [...new Set([...Object.keys(t.expected ?? {}), ...Object.keys(t.counts)])].sort();
        return {
          trayId: t.trayId,
          settled: t.settled,
          orderId: t.orderId,
          box: [...t.box],
          lines: labels.map((label) => {
            const expected = t.expected ? (t.expected[label] ?? 0) : null;
            const counted = t.counts[label] ?? 0;
            return {
              label,
              name: labelName(label, ctx.menu),
              expected,
              counted,
              ok: expected === null ? null : expected === counted,
            };
          }),
        };
      });
      return { cameraId: id, trays };
    },
  );
  done();
};
