// Accounts, login sessions and the first-start setup token. No default password exists:
// while no admin is in `users`, a random one-time token (stored as its sha256 in meta) lets
// whoever reads the console set the admin password through /setup.
import type { Db } from '../../store/db.js';
import { createUsersRepo, type Role, type SessionRow, type UserRow } from '../../store/users-repo.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { createFailureLimiter } from './rate-limit.js';
import { randomToken, safeEqual, sha256Hex } from './tokens.js';

const SETUP_META_KEY = 'dashboard.setup_token_sha256';
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$';

export type AuthResult<T> =
  { ok: true; value: T } | { ok: false; status: number; error: string; retryAfterS?: number };

export interface NewSession {
  cookie: string;
  csrfToken: string;
  username: string;
  role: Role;
  expiresAt: number;
}

export interface AuthOptions {
  db: Db;
  sessionTtlMs: number;
  loginMaxFailures: number;
  loginWindowMs: number;
  now?: () => number;
}

export type Auth = ReturnType<typeof createAuth>;

export function createAuth(opts: AuthOptions) {
  const repo = createUsersRepo(opts.db);
  const now = opts.now ?? Date.now;
  const limiter = createFailureLimiter({ maxFailures: opts.loginMaxFailures, windowMs: opts.loginWindowMs });
  let setupToken: string | null = null;

  const fail = (status: number, error: string, retryAfterMs?: number): AuthResult<never> => ({
    ok: false,
    status,
    error,
    ...(retryAfterMs ? { retryAfterS: Math.ceil(retryAfterMs / 1000) } : {}),
  });

  const openSession = (user: { username: string; role: Role }): NewSession => {
    const cookie = randomToken();
    const csrfToken = randomToken();
    const t = now();
    const expiresAt = t + opts.sessionTtlMs;
    repo.createSession({
      idHash: sha256Hex(cookie),
      username: user.username,
      csrfToken,
      createdAt: t,
      expiresAt,
    });
    return { cookie, csrfToken, username: user.username, role: user.role, expiresAt };
  };

  return {
    repo,
    /** At start: a fresh token when no admin exists (older tokens die), else none. */
    initSetup(): string | null {
      repo.deleteExpiredSessions(now());
      if (repo.countAdmins() > 0) {
        repo.deleteMeta(SETUP_META_KEY);
        setupToken = null;
      } else {
        setupToken = randomToken();
        repo.setMeta(SETUP_META_KEY, sha256Hex(setupToken));
      }
      return setupToken;
    },
    setupToken: (): string | null => setupToken,
    setupPending: (): boolean => repo.getMeta(SETUP_META_KEY) !== null && repo.countAdmins() === 0,

    async completeSetup(
      token: string,
      username: string,
      password: string,
      ip: string,
    ): Promise<AuthResult<NewSession>> {
      const keys = [`setup-ip:${ip}`];
      const wait = limiter.retryAfterMs(keys, now());
      if (wait > 0) return fail(429, 'too many attempts, try again later', wait);
      const stored = repo.getMeta(SETUP_META_KEY);
      if (!stored || repo.countAdmins() > 0) return fail(410, 'setup is already done; log in instead');
      if (!safeEqual(sha256Hex(token), stored)) {
        limiter.fail(keys, now());
        return fail(403, 'setup link is invalid or was already used');
      }
      const problem = passwordProblem(password);
      if (problem) return fail(400, problem);
      const passwordHash = await hashPassword(password);
      // Re-check after the await: two tabs racing must not create two admins.
      const outcome = opts.db.transaction(() => {
        if (repo.getMeta(SETUP_META_KEY) !== stored || repo.countAdmins() > 0) return 'done';
        if (!repo.create({ username, role: 'admin', passwordHash }, now())) return 'taken';
        repo.deleteMeta(SETUP_META_KEY);
        return 'created';
      })();
      if (outcome === 'done') return fail(410, 'setup is already done; log in instead');
      if (outcome === 'taken') return fail(409, 'username is taken; choose another');
      setupToken = null;
      return { ok: true, value: openSession({ username, role: 'admin' }) };
    },

    async login(username: string, password: string, ip: string): Promise<AuthResult<NewSession>> {
      const keys = [`ip:${ip}`, `user:${username.toLowerCase()}`];
      const wait = limiter.retryAfterMs(keys, now());
      if (wait > 0) return fail(429, 'too many failed logins, try again later', wait);
      const user = repo.get(username);
      const good = await verifyPassword(password, user?.passwordHash ?? null);
      if (!good || !user) {
        limiter.fail(keys, now());
        return fail(401, 'wrong username or password');
      }
      limiter.clear(`user:${username.toLowerCase()}`);
      return { ok: true, value: openSession(user) };
    },

    session(cookie: string | undefined): SessionRow | null {
      if (!cookie || cookie.length > 200) return null;
      return repo.getSession(sha256Hex(cookie), now());
    },

    logout(cookie: string | undefined): void {
      if (cookie) repo.deleteSession(sha256Hex(cookie));
    },

    listUsers: (): Array<Omit<UserRow, 'passwordHash'>> =>
      repo
        .list()
        .map((u) => ({ username: u.username, role: u.role, createdAt: u.createdAt, updatedAt: u.updatedAt })),

    async createStaff(
      username: string,
      password: string,
    ): Promise<AuthResult<{ username: string; role: Role }>> {
      const problem = passwordProblem(password);
      if (problem) return fail(400, problem);
      const passwordHash = await hashPassword(password);
      if (!repo.create({ username, role: 'staff', passwordHash }, now()))
        return fail(409, 'username is taken');
      return { ok: true, value: { username, role: 'staff' } };
    },

    deleteStaff(username: string): AuthResult<{ username: string }> {
      const user = repo.get(username);
      if (!user) return fail(404, 'no such user');
      if (user.role !== 'staff') return fail(403, 'only staff users can be deleted here');
      repo.delete(username);
      return { ok: true, value: { username } };
    },
  };
}
