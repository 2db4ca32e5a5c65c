// Setup (first admin), login, logout and "who am I" (which also hands the page its CSRF token).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { MAX_PASSWORD_LENGTH } from '../auth/passwords.js';
import { USERNAME_PATTERN, type AuthResult, type NewSession } from '../auth/service.js';
import type { DashboardContext } from '../context.js';
import { ErrorReply, MeReply, OkReply } from '../schemas.js';
import { SESSION_COOKIE } from '../security.js';

const Username = Type.String({ pattern: USERNAME_PATTERN });
const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH });
const LoginBody = Type.Object({ username: Username, password: Password }, { additionalProperties: false });
const SetupBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    username: Type.Optional(Username),
    password: Password,
  },
  { additionalProperties: false },
);
const errors = {
  400: ErrorReply,
  401: ErrorReply,
  403: ErrorReply,
  409: ErrorReply,
  410: ErrorReply,
  429: ErrorReply,
};

export function authRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const me = (s: { username: string; role: string; csrfToken: string }) => ({
    username: s.username,
    role: s.role,
    csrfToken: s.csrfToken,
    storeName: ctx.deps.store.name,
    storeId: ctx.deps.store.id,
    version: ctx.deps.version,
  });

  const finish = (reply: FastifyReply, r: AuthResult<NewSession>) => {
    if (!r.ok) {
      if (r.retryAfterS) reply.header('retry-after', String(r.retryAfterS));
      return reply.code(r.status).send({ error: r.error });
    }
    reply.setCookie(SESSION_COOKIE, r.value.cookie, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.tls,
      expires: new Date(r.value.expiresAt),
    });
    return reply.send(me(r.value));
  };

  app.get(
    '/api/setup',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Whether first-start setup is pending',
        response: { 200: Type.Object({ pending: Type.Boolean() }) },
      },
    },
    () => ({ pending: ctx.auth.setupPending() }),
  );

  app.post<{ Body: Static<typeof SetupBody> }>(
    '/api/setup',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Set the admin password with the one-time setup token (then it is invalid)',
        body: SetupBody,
        response: { 200: MeReply, ...errors },
      },
    },
    async (req, reply) =>
      finish(
        reply,
        await ctx.auth.completeSetup(req.body.token, req.body.username ?? 'admin', req.body.password, req.ip),
      ),
  );

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/api/login',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Log in; sets the session cookie',
        body: LoginBody,
        response: { 200: MeReply, ...errors },
      },
    },
    async (req, reply) => finish(reply, await ctx.auth.login(req.body.username, req.body.password, req.ip)),
  );

  app.post(
    '/api/logout',
    { schema: { summary: 'End this session', response: { 200: OkReply } } },
    async (req, reply) => {
      ctx.auth.logout(req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: ctx.tls });
      return { ok: true };
    },
  );

  app.get(
    '/api/me',
    {
      schema: { summary: 'The logged-in user and the CSRF token for mutations', response: { 200: MeReply } },
    },
    (req) => {
      if (!req.session) throw new Error('unreachable: staff route without session');
      return me(req.session);
    },
  );
}
