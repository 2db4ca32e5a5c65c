// Setup (first admin), login, logout and "who am I" (which also hands the page its CSRF token).
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { MAX_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { USERNAME_PATTERN, type AuthResult, type NewSession } from '../auth/service.js';
import type { DashboardContext, DashboardPlugin } from '../context.js';
import { AuthErrors, MeReply, OkReply } from '../schemas.js';
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
const PasswordChange = Type.Object(
  { current: Password, password: Password },
  { additionalProperties: false },
);

export function setSessionCookie(reply: FastifyReply, ctx: DashboardContext, s: NewSession): void {
  reply.setCookie(SESSION_COOKIE, s.cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.tls,
    expires: new Date(s.expiresAt),
  });
}

export const authRoutes: DashboardPlugin = (app, { ctx }, done) => {
  const me = (s: { username: string; role: string; csrfToken: string }) => ({
    username: s.username,
    role: s.role,
    csrfToken: s.csrfToken,
    storeName: ctx.deps.site.store.name,
    storeId: ctx.deps.site.store.id,
    version: ctx.deps.site.version,
    alertEscalateAfterS: ctx.deps.config.alertEscalateAfterS,
  });

  const finish = (reply: FastifyReply, r: AuthResult<NewSession>) => {
    if (!r.ok) {
      if (r.retryAfterS) reply.header('retry-after', String(r.retryAfterS));
      return reply.code(r.status).send({ error: r.error });
    }
    setSessionCookie(reply, ctx, r.value);
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

  app.post(
    '/api/setup',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Set the admin password with the one-time setup token (then it is invalid)',
        body: SetupBody,
        response: { 200: MeReply, ...AuthErrors },
      },
    },
    async (req, reply) =>
      finish(
        reply,
        await ctx.auth.completeSetup(req.body.token, req.body.username ?? 'admin', req.body.password, req.ip),
      ),
  );

  app.post(
    '/api/login',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Log in; sets the session cookie',
        body: LoginBody,
        response: { 200: MeReply, ...AuthErrors },
      },
    },
    async (req, reply) => finish(reply, await ctx.auth.login(req.body.username, req.body.password, req.ip)),
  );

  app.post(
    '/api/logout',
    {
      config: { display: true },
      schema: { summary: 'End this session', response: { 200: OkReply } },
    },
    async (req, reply) => {
      ctx.auth.logout(req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: ctx.tls });
      return { ok: true };
    },
  );

  app.post(
    '/api/me/password',
    {
      schema: {
        summary: 'Change your own password; your other sessions end and their streams close',
        body: PasswordChange,
        response: { 200: Type.Object({ endedSessions: Type.Integer() }), ...AuthErrors },
      },
    },
    async (req, reply) => {
      if (!req.session) throw new Error('unreachable: staff route without session');
      const r = await ctx.auth.changePassword(req.session, req.body.current, req.body.password, req.ip);
      if (!r.ok) {
        if (r.retryAfterS) reply.header('retry-after', String(r.retryAfterS));
        return reply.code(r.status).send({ error: r.error });
      }
      req.log.info({ user: req.session.username, ended: r.value.endedSessions }, 'password changed');
      return r.value;
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
  done();
};
