// Admin: list, create and delete staff accounts.
import { Type } from '@sinclair/typebox';
import { MAX_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { USERNAME_PATTERN } from '../auth/service.js';
import type { DashboardPlugin } from '../context.js';
import { AuthErrors, OkReply, UserDto } from '../schemas.js';

const NewUser = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN }),
    password: Type.String({
      minLength: 1,
      maxLength: MAX_PASSWORD_LENGTH,
      description: 'At least 10 characters.',
    }),
    role: Type.Optional(Type.Literal('staff')),
  },
  { additionalProperties: false },
);
const UserParams = Type.Object({ username: Type.String({ pattern: USERNAME_PATTERN }) });
const RoleBody = Type.Object(
  { role: Type.String({ enum: ['staff', 'admin'] }) },
  { additionalProperties: false },
);
const PasswordBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }) },
  { additionalProperties: false },
);
const admin = { access: 'admin' as const };

export const userRoutes: DashboardPlugin = (app, { ctx }, done) => {
  app.get(
    '/api/users',
    {
      config: admin,
      schema: {
        summary: 'Dashboard accounts (admin)',
        response: { 200: Type.Object({ users: Type.Array(UserDto) }) },
      },
    },
    () => ({ users: ctx.auth.listUsers() }),
  );

  app.post(
    '/api/users',
    {
      config: admin,
      schema: {
        summary: 'Create a staff account (admin)',
        body: NewUser,
        response: { 201: UserDto, ...AuthErrors },
      },
    },
    async (req, reply) => {
      const r = await ctx.auth.createStaff(req.body.username, req.body.password);
      if (!r.ok) return reply.code(r.status).send({ error: r.error });
      req.log.info({ user: r.value.username, by: req.session?.username }, 'staff account created');
      return reply.code(201).send(r.value);
    },
  );

  app.delete(
    '/api/users/:username',
    {
      config: admin,
      schema: {
        summary:
          'Delete a staff account or revoke a wall screen; its sessions end and its streams close (admin)',
        params: UserParams,
        response: { 200: OkReply, ...AuthErrors },
      },
    },
    async (req, reply) => {
      const r = ctx.auth.deleteStaff(req.params.username);
      if (!r.ok) return reply.code(r.status).send({ error: r.error });
      req.log.info({ user: r.value.username, by: req.session?.username }, 'staff account deleted');
      return { ok: true };
    },
  );
  done();
};

export const userChangeRoutes: DashboardPlugin = (app, { ctx }, done) => {
  app.post(
    '/api/users/:username/role',
    {
      config: admin,
      schema: {
        summary:
          "Make a user staff or admin; the user's open streams close and reopen with the new role (admin)",
        params: UserParams,
        body: RoleBody,
        response: { 200: UserDto, ...AuthErrors },
      },
    },
    async (req, reply) => {
      const r = ctx.auth.setRole(req.params.username, req.body.role === 'admin' ? 'admin' : 'staff');
      if (!r.ok) return reply.code(r.status).send({ error: r.error });
      req.log.info({ user: r.value.username, role: r.value.role, by: req.session?.username }, 'role changed');
      const row = ctx.auth.listUsers().find((u) => u.username === r.value.username);
      return row ?? reply.code(404).send({ error: 'no such user' });
    },
  );

  app.post(
    '/api/users/:username/password',
    {
      config: admin,
      schema: {
        summary: "Set a staff user's password; all of that user's sessions end (admin)",
        params: UserParams,
        body: PasswordBody,
        response: { 200: OkReply, ...AuthErrors },
      },
    },
    async (req, reply) => {
      const r = await ctx.auth.resetPassword(req.params.username, req.body.password);
      if (!r.ok) return reply.code(r.status).send({ error: r.error });
      req.log.info({ user: r.value.username, by: req.session?.username }, 'staff password reset');
      return { ok: true };
    },
  );
  done();
};
