import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/dashboard/auth/tokens.js';
import { createUsersRepo } from '../../src/store/users-repo.js';
import { login, sessionCookie, setupAdmin, startHarness, type ErrorBody, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

const addStaff = async (
  admin: { headers: Record<string, string> },
  username = 'sam',
  password = 'staff-password-1',
) => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: admin.headers,
    payload: { username, password },
  });
  expect(res.statusCode).toBe(201);
};

describe('first-start setup token', () => {
  it('exists only while no admin does, is stored hashed, works once', async () => {
    const token = h.dash.setupToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const stored = createUsersRepo(h.db).getMeta('dashboard.setup_token_sha256');
    expect(stored).toBe(sha256Hex(token as string));
    expect((await h.app.inject({ url: '/api/setup' })).json()).toEqual({ pending: true });

    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token: 'x'.repeat(43), password: 'long enough pw' },
    });
    expect(wrong.statusCode).toBe(403);
    const short = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token, password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json<ErrorBody>().error).toMatch(/at least 10/);

    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token, username: 'boss', password: 'a good long password' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ username: 'boss', role: 'admin' });
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toMatch(/Secure/i); // plain HTTP in this test

    expect(h.dash.setupToken()).toBeNull();
    expect(createUsersRepo(h.db).getMeta('dashboard.setup_token_sha256')).toBeNull();
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token, password: 'another long password' },
    });
    expect(again.statusCode).toBe(410);
    // The stored password hash is scrypt, salted, never the password.
    const row = createUsersRepo(h.db).get('boss');
    expect(row?.passwordHash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(row?.passwordHash).not.toContain('a good long password');
  });

  it('no token is issued after restart once an admin exists', async () => {
    await setupAdmin(h);
    const dir = h.dir;
    await h.dash.stop();
    h.db.close();
    const again = await startHarness({ dir });
    try {
      expect(again.dash.setupToken()).toBeNull();
      expect((await again.app.inject({ url: '/api/setup' })).json()).toEqual({ pending: false });
    } finally {
      await again.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    h = await startHarness(); // afterEach stops a fresh one
  });
});

describe('login, sessions, roles', () => {
  it('logs in, refuses a wrong password, logs out', async () => {
    const admin = await setupAdmin(h);
    await addStaff(admin);
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'sam', password: 'wrong-password' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'nobody', password: 'whatever-pw' },
    });
    expect(unknown.statusCode).toBe(401);

    const s = await login(h, 'sam', 'staff-password-1');
    const me = await h.app.inject({ url: '/api/me', headers: { cookie: s.headers.cookie as string } });
    expect(me.json()).toMatchObject({ username: 'sam', role: 'staff', storeName: 'Test Diner' });
    // The session is stored hashed, never the cookie value itself.
    const rows = h.db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(rows.map((r) => r.id_hash)).toContain(sha256Hex(s.cookie));
    expect(rows.map((r) => r.id_hash)).not.toContain(s.cookie);

    const out = await h.app.inject({ method: 'POST', url: '/api/logout', headers: s.headers });
    expect(out.statusCode).toBe(200);
    expect(
      (await h.app.inject({ url: '/api/me', headers: { cookie: s.headers.cookie as string } })).statusCode,
    ).toBe(401);
  });

  it('rate-limits failed logins per user with 429 and Retry-After', async () => {
    const admin = await setupAdmin(h);
    await addStaff(admin);
    for (let i = 0; i < 5; i++) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/login',
        payload: { username: 'sam', password: `wrong-${i}-xxxxx` },
      });
      expect(r.statusCode).toBe(401);
    }
    const limited = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'sam', password: 'staff-password-1' },
    });
    expect(limited.statusCode).toBe(429);
    const retry = Number(limited.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(300);
    // The IP is locked too: another account from the same address is refused as well.
    const sameIp = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'admin', password: 'correct horse battery' },
    });
    expect(sameIp.statusCode).toBe(429);
    const otherIp = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      remoteAddress: '10.1.2.3',
      payload: { username: 'admin', password: 'correct horse battery' },
    });
    expect(otherIp.statusCode).toBe(200);
  });

  it('staff cannot create users or read the config; admin can; only staff can be deleted', async () => {
    const admin = await setupAdmin(h);
    await addStaff(admin);
    const staff = await login(h, 'sam', 'staff-password-1');
    const create = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: staff.headers,
      payload: { username: 'eve', password: 'eve-password-1' },
    });
    expect(create.statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/config', headers: staff.headers })).statusCode).toBe(403);
    const cfg = await h.app.inject({ url: '/api/config', headers: admin.headers });
    expect(cfg.statusCode).toBe(200);
    expect(cfg.json()).toMatchObject({ mqtt: { password: '********' } });
    const shortPw = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { username: 'eve', password: 'short' },
    });
    expect(shortPw.statusCode).toBe(400);
    expect(
      (await h.app.inject({ method: 'DELETE', url: '/api/users/admin', headers: admin.headers })).statusCode,
    ).toBe(403);
    expect(
      (await h.app.inject({ method: 'DELETE', url: '/api/users/sam', headers: admin.headers })).statusCode,
    ).toBe(200);
    // Deleting a user ends its sessions.
    expect((await h.app.inject({ url: '/api/me', headers: staff.headers })).statusCode).toBe(401);
  });
});

describe('request hardening', () => {
  it('unauthenticated mutation → 401; missing or wrong CSRF → 403; foreign Origin → 403', async () => {
    const admin = await setupAdmin(h);
    expect((await h.app.inject({ method: 'POST', url: '/api/alerts/1/ack' })).statusCode).toBe(401);
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/1/ack',
      headers: { cookie: admin.headers.cookie as string },
    });
    expect(noCsrf.statusCode).toBe(403);
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/1/ack',
      headers: { ...admin.headers, 'x-csrf-token': 'nope' },
    });
    expect(wrong.statusCode).toBe(403);
    const foreign = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/1/ack',
      headers: { ...admin.headers, origin: 'http://evil.example', host: 'localhost:80' },
    });
    expect(foreign.statusCode).toBe(403);
    const good = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/1/ack',
      headers: { ...admin.headers, origin: 'http://localhost:80', host: 'localhost:80' },
    });
    expect(good.statusCode).toBe(404); // passed every check; alert 1 does not exist
    // A cross-site form can only send text/plain: refused.
    const form = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(form.statusCode).toBe(415);
  });

  it('refuses oversized bodies with 413', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'a', password: 'x'.repeat(70_000) },
    });
    expect(res.statusCode).toBe(413);
  });

  it('sends security headers on pages, API and errors; pages redirect to /login', async () => {
    for (const url of ['/login', '/api/me', '/nope', '/ui/style.css']) {
      const r = await h.app.inject({ url });
      expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(r.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
    expect((await h.app.inject({ url: '/ui/style.css' })).statusCode).toBe(200);
    const page = await h.app.inject({ url: '/manager' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fmanager');
    const admin = await setupAdmin(h);
    const ok = await h.app.inject({ url: '/manager', headers: { cookie: admin.headers.cookie as string } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('/ui/js/manager.js');
    expect(sessionCookie({ headers: { 'set-cookie': `traycheck_session=${admin.cookie}` } })).toBe(
      admin.cookie,
    );
  });
});
