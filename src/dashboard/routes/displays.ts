// Wall screens: an admin pairs a tablet once; it then holds a long-lived `display`
// session (read-only, may acknowledge) so a kiosk never silently logs itself out. Revoking it is
// deleting its account on /tech (DELETE /api/users/:name), which closes its streams at once.
import { Type } from '@sinclair/typebox';
import { USERNAME_PATTERN } from '../auth/service.js';
import type { DashboardPlugin } from '../context.js';
import { AuthErrors } from '../schemas.js';
import { htmlPage } from './not-found.js';
import { setSessionCookie } from './auth.js';

const PairBody = Type.Object(
  { name: Type.String({ pattern: USERNAME_PATTERN, description: 'e.g. expo-wall' }) },
  { additionalProperties: false },
);
const PairQuery = Type.Object({ code: Type.String({ minLength: 1, maxLength: 200 }) });

export const displayRoutes: DashboardPlugin = (app, { ctx }, done) => {
  app.post(
    '/api/displays',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Pair a wall screen: a one-time link (15 min) to open on the tablet (admin)',
        body: PairBody,
        response: {
          201: Type.Object({
            username: Type.String(),
            pairPath: Type.String({ description: 'Open this path on the wall tablet.' }),
            expiresAt: Type.Number(),
          }),
          ...AuthErrors,
        },
      },
    },
    async (req, reply) => {
      const r = ctx.auth.createPairing(req.body.name);
      if (!r.ok) return reply.code(r.status).send({ error: r.error });
      req.log.info({ display: r.value.username, by: req.session?.username }, 'wall screen pairing link made');
      return reply.code(201).send({
        username: r.value.username,
        pairPath: `/pair?code=${encodeURIComponent(r.value.code)}`,
        expiresAt: r.value.expiresAt,
      });
    },
  );

  app.get(
    '/pair',
    { config: { access: 'public' }, schema: { hide: true, querystring: PairQuery } },
    async (req, reply) => {
      const r = ctx.auth.completePairing(req.query.code, req.ip);
      if (!r.ok) {
        return reply
          .code(r.status)
          .type('text/html; charset=utf-8')
          .send(htmlPage('Pairing failed', `${r.error}. Ask the manager for a new pairing link on /tech.`));
      }
      req.log.info({ display: r.value.username }, 'wall screen paired');
      setSessionCookie(reply, ctx, r.value);
      return reply.redirect('/?kiosk=1', 303);
    },
  );
  done();
};
