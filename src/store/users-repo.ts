// Dashboard accounts, login sessions (stored as sha256 of the cookie value) and the
// one-time setup token hash in `meta`. Password hashing lives in auth/passwords.ts.
import type { Db } from './db.js';

/** display: a paired wall screen (read-only, may acknowledge; no password, long-lived session). */
export type Role = 'admin' | 'staff' | 'display';

const toRole = (r: string): Role => (r === 'admin' || r === 'display' ? r : 'staff');

export interface UserRow {
  username: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  updatedAt: number;
}

export interface SessionRow {
  idHash: string;
  username: string;
  role: Role;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

interface RawUser {
  username: string;
  role: string;
  password_hash: string;
  created_at: number;
  updated_at: number;
}

const toUser = (r: RawUser): UserRow => ({
  username: r.username,
  role: toRole(r.role),
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface UsersRepo {
  get(username: string): UserRow | null;
  list(): UserRow[];
  countAdmins(): number;
  /** Inserts; returns false when the username is taken. */
  create(user: { username: string; role: Role; passwordHash: string }, now: number): boolean;
  setPassword(username: string, passwordHash: string, now: number): boolean;
  setRole(username: string, role: Role, now: number): boolean;
  /** Deletes the user's sessions except `keepIdHash`; returns how many. */
  deleteSessionsOf(username: string, keepIdHash?: string): number;
  delete(username: string): boolean;
  createSession(s: Omit<SessionRow, 'role'>): void;
  /** The session with its user's role, or null when unknown or expired. */
  getSession(idHash: string, now: number): SessionRow | null;
  deleteSession(idHash: string): void;
  deleteExpiredSessions(now: number): number;
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;
  deleteMeta(key: string): void;
}

export function createUsersRepo(db: Db): UsersRepo {
  const q = {
    get: db.prepare<[string], RawUser>('SELECT * FROM users WHERE username = ?'),
    list: db.prepare<[], RawUser>('SELECT * FROM users ORDER BY role, username'),
    admins: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'"),
    insert: db.prepare(
      'INSERT OR IGNORE INTO users (username, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ),
    setPw: db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?'),
    del: db.prepare('DELETE FROM users WHERE username = ?'),
    setRole: db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE username = ?'),
    sDelOf: db.prepare('DELETE FROM sessions WHERE username = ? AND id_hash != ?'),
    sInsert: db.prepare(
      'INSERT INTO sessions (id_hash, username, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    sGet: db.prepare<
      [string, number],
      {
        id_hash: string;
        username: string;
        csrf_token: string;
        created_at: number;
        expires_at: number;
        role: string;
      }
    >(
      `SELECT s.id_hash, s.username, s.csrf_token, s.created_at, s.expires_at, u.role
         FROM sessions s JOIN users u ON u.username = s.username
        WHERE s.id_hash = ? AND s.expires_at > ?`,
    ),
    sDel: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
    sExpire: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    mGet: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    mSet: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    mDel: db.prepare('DELETE FROM meta WHERE key = ?'),
  };

  return {
    get: (username) => {
      const r = q.get.get(username);
      return r ? toUser(r) : null;
    },
    list: () => q.list.all().map(toUser),
    countAdmins: () => q.admins.get()?.n ?? 0,
    create: (u, now) => q.insert.run(u.username, u.role, u.passwordHash, now, now).changes === 1,
    setPassword: (username, hash, now) => q.setPw.run(hash, now, username).changes === 1,
    setRole: (username, role, now) => q.setRole.run(role, now, username).changes === 1,
    deleteSessionsOf: (username, keep) => q.sDelOf.run(username, keep ?? '').changes,
    delete: (username) => q.del.run(username).changes === 1,
    createSession: (s) => {
      q.sInsert.run(s.idHash, s.username, s.csrfToken, s.createdAt, s.expiresAt);
    },
    getSession: (idHash, now) => {
      const r = q.sGet.get(idHash, now);
      if (!r) return null;
      return {
        idHash: r.id_hash,
        username: r.username,
        role: toRole(r.role),
        csrfToken: r.csrf_token,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
      };
    },
    deleteSession: (idHash) => {
      q.sDel.run(idHash);
    },
    deleteExpiredSessions: (now) => q.sExpire.run(now).changes,
    getMeta: (key) => q.mGet.get(key)?.value ?? null,
    setMeta: (key, value) => {
      q.mSet.run(key, value);
    },
    deleteMeta: (key) => {
      q.mDel.run(key);
    },
  };
}
