// Accounts, login sessions and the first-start setup token. No default password exists:
// while no admin is in `users`, a random one-time token (stored as its sha256 in meta) lets
// whoever reads the console set the admin password through /setup.
import type { Db } from '../../store/db.js';
import { createUsersRepo, type Role, type SessionRow, type UserRow } from '../../store/users-repo.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../auth/passwords.js';
import { createFailureLimiter } from './rate-limit.js';
import { randomToken, safeEqual, sha256Hex } from './tokens.js';

const SETUP_META_KEY = 'dashboard.setup_token_sha256';
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$';

/** The HTTP status of a refusal (every route that answers with one lists them all: AuthErrors). */
export type AuthStatus = 400 | 401 | 403 | 404 | 409 | 410 | 429;

export type AuthResult<T> =
  { ok: true; value: T } | { ok: false; status: AuthStatus; error: string; retryAfterS?: number };

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
  /** Lifetime of a paired wall screen's session (revocable on /tech). */
  displaySessionTtlMs: number;
  loginMaxFailures: number;
  loginWindowMs: number;
  now?: () => number;
  /**
   * Called when sessions end (logout, password change, deletion) or a role changes, so the
   * dashboard closes the streams those sessions opened at once.
   */
  onSessionsEnded?: (
    which: { username: string; exceptSessionHash?: string } | { sessionHash: string },
  ) => void;
}

/** A pairing link is valid this long after an admin makes it. */
export const PAIRING_TTL_MS = 15 * 60_000;
const PAIRING_META_PREFIX = 'dashboard.pairing:';

export type Auth = ReturnType<typeof createAuth>;

export function createAuth(opts: AuthOptions) {
  const repo = createUsersRepo(opts.db);
  const now = opts.now ?? Date.now;
  const limiter = createFailureLimiter({ maxFailures: opts.loginMaxFailures, windowMs: opts.loginWindowMs });
  let setupToken: string | null = null;

  const fail = (status: AuthStatus, error: string, retryAfterMs?: number): AuthResult<never> => ({
    ok: false,
    status,
    error,
    ...(retryAfterMs ? { retryAfterS: Math.ceil(retryAfterMs / 1000) } : {}),
  });

  const ended = opts.onSessionsEnded ?? (() => undefined);

  const openSession = (user: { username: string; role: Role }): NewSession => {
    const cookie = randomToken();
    const csrfToken = randomToken();
    const t = now();
    const expiresAt = t + (user.role === 'display' ? opts.displaySessionTtlMs : opts.sessionTtlMs);
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

    /** Whether the session a stream was opened with still exists and has not expired. */
    sessionAlive: (sessionHash: string): boolean => repo.getSession(sessionHash, now()) !== null,

    logout(cookie: string | undefined): void {
      if (!cookie) return;
      const sessionHash = sha256Hex(cookie);
      repo.deleteSession(sessionHash);
      ended({ sessionHash });
    },

    /** Own password: the current one is checked (throttled like a login); other sessions end. */
    async changePassword(
      session: SessionRow,
      current: string,
      next: string,
      ip: string,
    ): Promise<AuthResult<{ endedSessions: number }>> {
      const keys = [`ip:${ip}`, `user:${session.username.toLowerCase()}`];
      const wait = limiter.retryAfterMs(keys, now());
      if (wait > 0) return fail(429, 'too many wrong passwords, try again later', wait);
      const user = repo.get(session.username);
      if (!user || user.role === 'display') return fail(403, 'this account has no password');
      if (!(await verifyPassword(current, user.passwordHash))) {
        limiter.fail(keys, now());
        return fail(403, 'current password is wrong');
      }
      const problem = passwordProblem(next);
      if (problem) return fail(400, problem);
      repo.setPassword(user.username, await hashPassword(next), now());
      const endedSessions = repo.deleteSessionsOf(user.username, session.idHash);
      ended({ username: user.username, exceptSessionHash: session.idHash });
      return { ok: true, value: { endedSessions } };
    },

    /** Admin sets a staff password (forgotten password): every session of that user ends. */
    async resetPassword(username: string, next: string): Promise<AuthResult<{ username: string }>> {
      const user = repo.get(username);
      if (!user) return fail(404, 'no such user');
      if (user.role !== 'staff') return fail(403, 'only staff passwords can be reset here');
      const problem = passwordProblem(next);
      if (problem) return fail(400, problem);
      repo.setPassword(username, await hashPassword(next), now());
      repo.deleteSessionsOf(username);
      ended({ username });
      return { ok: true, value: { username } };
    },

    /** Staff ⇄ admin. The last admin cannot be demoted. Open streams close (they reopen with the new role). */
    setRole(username: string, role: 'staff' | 'admin'): AuthResult<{ username: string; role: Role }> {
      const user = repo.get(username);
      if (!user) return fail(404, 'no such user');
      if (user.role === 'display') return fail(403, 'a wall screen has no role to change; revoke it instead');
      if (user.role === role) return { ok: true, value: { username, role } };
      if (user.role === 'admin' && repo.countAdmins() <= 1) return fail(409, 'the last admin stays admin');
      repo.setRole(username, role, now());
      ended({ username });
      return { ok: true, value: { username, role } };
    },

    /**
     * Pair a wall screen: a `display` account without a password plus a one-time link (valid
     * PAIRING_TTL_MS) that, opened on the tablet, gives it a long-lived session.
     */
    createPairing(name: string): AuthResult<{ username: string; code: string; expiresAt: number }> {
      const existing = repo.get(name);
      if (existing && existing.role !== 'display') return fail(409, 'a user with that name exists');
      // '!' is no scrypt hash: nobody can log in to a display account with a password.
      if (!existing) repo.create({ username: name, role: 'display', passwordHash: '!' }, now());
      const code = randomToken();
      const expiresAt = now() + PAIRING_TTL_MS;
      repo.setMeta(PAIRING_META_PREFIX + sha256Hex(code), JSON.stringify({ username: name, expiresAt }));
      return { ok: true, value: { username: name, code, expiresAt } };
    },

    /** The tablet opens the pairing link: the code is used up, the screen gets its session. */
    completePairing(code: string, ip: string): AuthResult<NewSession> {
      const keys = [`pair-ip:${ip}`];
      const wait = limiter.retryAfterMs(keys, now());
      if (wait > 0) return fail(429, 'too many attempts, try again later', wait);
      const key = PAIRING_META_PREFIX + sha256Hex(code);
      const raw = repo.getMeta(key);
      repo.deleteMeta(key);
      const pairing = raw ? (JSON.parse(raw) as { username: string; expiresAt: number }) : null;
      const user = pairing && pairing.expiresAt > now() ? repo.get(pairing.username) : null;
      if (!user || user.role !== 'display') {
        limiter.fail(keys, now());
        return fail(403, 'pairing link is invalid, expired or was already used');
      }
      return { ok: true, value: openSession(user) };
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

    /** Deletes a staff account or revokes a wall screen; its sessions and streams end at once. */
    deleteStaff(username: string): AuthResult<{ username: string }> {
      const user = repo.get(username);
      if (!user) return fail(404, 'no such user');
      if (user.role === 'admin') return fail(403, 'only staff users and wall screens can be deleted here');
      repo.delete(username);
      ended({ username });
      return { ok: true, value: { username } };
    },
  };
}
