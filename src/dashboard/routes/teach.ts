// /teach (admin): the store teaching traycheck its menu — models, candidates, sprites, captured
// frames, training state; promote a candidate or roll back. The work is in src/teach/.
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { ErrorReply } from '../schemas.js';

const Outcome = Type.Object({
  ok: Type.Boolean(),
  message: Type.String(),
  file: Type.Optional(Type.String()),
});
const PromoteBody = Type.Object(
  {
    run: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$', maxLength: 80 }),
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const SpriteParams = Type.Object({
  label: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$', maxLength: 32 }),
  file: Type.String({ pattern: '^[0-9a-f]{16}\\.png$' }),
});
const Anything = Type.Unknown();
const RunBody = Type.Object(
  { run: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$', maxLength: 80 }) },
  { additionalProperties: false },
);
const TrainBody = Type.Object(
  {
    minutes: Type.Number({ minimum: 0.1, maximum: 240 }),
    frames: Type.Optional(Type.Integer({ minimum: 10, maximum: 20000 })),
  },
  { additionalProperties: false },
);
const UploadQuery = Type.Object({
  label: Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 32 }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  newLabel: Type.Optional(
    Type.Boolean({ description: 'Create the label when no model knows it (a new menu item).' }),
  ),
});

export const teachRoutes: DashboardPlugin = (app, { ctx }, done) => {
  const teach = ctx.deps.teach;
  if (!teach) return done();
  const admin = { access: 'admin' as const };
  const by = (username: string | undefined): string => `dashboard:${username ?? 'unknown'}`;

  app.get('/teach', { config: { access: 'page' as const }, schema: { hide: true } }, (req, reply) =>
    req.session?.role === 'admin'
      ? reply.header('cache-control', 'no-store').sendFile('teach.html')
      : reply.code(403).send({ error: 'admin role required' }),
  );

  app.get(
    '/api/teach',
    {
      config: admin,
      schema: {
        summary: 'Models, candidates, sprites, captured frames, training (admin)',
        response: { 200: Anything },
      },
    },
    () => teach.overview(),
  );

  app.get(
    '/api/teach/sprites/:label/:file',
    { config: admin, schema: { summary: 'A stored sprite (PNG, admin)', params: SpriteParams } },
    async (req, reply) => {
      const file = teach.spriteFile(req.params.label, req.params.file);
      if (!file) return reply.code(404).send({ error: 'no such sprite' });
      return reply.header('cache-control', 'private, max-age=3600').sendFile(file, '/');
    },
  );

  app.post(
    '/api/teach/promote',
    {
      config: admin,
      schema: {
        summary: 'Promote a trained candidate; refused when broken, or worse unless force (admin)',
        body: PromoteBody,
        response: { 200: Outcome, 409: Outcome, 400: ErrorReply },
      },
    },
    async (req, reply) => {
      const r = await teach.promote(req.body.run, req.body.force ?? false, by(req.session?.username));
      return reply.code(r.ok ? 200 : 409).send(r);
    },
  );

  // A photo is sent as the request body (image/jpeg, image/png, image/webp), up to 25 MB. The
  // parser lives in this plugin only: no other route takes an image.
  app.addContentTypeParser(
    ['image/jpeg', 'image/png', 'image/webp'],
    { parseAs: 'buffer', bodyLimit: 25 * 1024 * 1024 },
    (_req, body, parsed) => parsed(null, body),
  );
  app.post(
    '/api/teach/sprites',
    {
      config: admin,
      bodyLimit: 25 * 1024 * 1024,
      schema: {
        summary: 'Cut a menu-item photo (request body: the image) out into a sprite (admin)',
        querystring: UploadQuery,
        response: { 200: Outcome, 422: Outcome },
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body))
        return reply
          .code(422)
          .send({ ok: false, message: 'send the photo as image/jpeg, image/png or image/webp' });
      const r = await teach.addSprite(
        req.query.label,
        req.body,
        req.query.name ?? 'upload',
        req.query.newLabel === true,
      );
      return reply.code(r.ok ? 200 : 422).send(r);
    },
  );
  app.delete(
    '/api/teach/sprites/:label/:file',
    {
      config: admin,
      schema: {
        summary: 'Remove a sprite (a rejected cut-out, admin)',
        params: SpriteParams,
        response: { 200: Outcome, 404: ErrorReply },
      },
    },
    async (req, reply) =>
      teach.removeSprite(req.params.label, req.params.file)
        ? { ok: true, message: 'removed' }
        : reply.code(404).send({ error: 'no such sprite' }),
  );

  app.post(
    '/api/teach/train',
    {
      config: admin,
      schema: {
        summary:
          'Start training a candidate (traycheck train) in the background; progress in /api/teach (admin)',
        body: TrainBody,
        response: { 200: Outcome, 409: Outcome },
      },
    },
    async (req, reply) => {
      const r = teach.training.start({ minutes: req.body.minutes, frames: req.body.frames });
      return reply.code(r.ok ? 200 : 409).send(r);
    },
  );

  app.post(
    '/api/teach/compare',
    {
      config: admin,
      schema: {
        summary: 'Running model vs a candidate: per-class AP@0.5, tray counts on held-out frames (admin)',
        body: RunBody,
        response: { 200: Anything, 404: ErrorReply },
      },
    },
    async (req, reply) => {
      const c = await teach.compare(req.body.run);
      return c ?? reply.code(404).send({ error: 'no such candidate' });
    },
  );

  app.post(
    '/api/teach/rollback',
    {
      config: admin,
      schema: {
        summary: 'Go back to the model before the current one (admin)',
        response: { 200: Outcome, 409: Outcome },
      },
    },
    async (req, reply) => {
      const r = await teach.rollback(by(req.session?.username));
      return reply.code(r.ok ? 200 : 409).send(r);
    },
  );
  done();
};
