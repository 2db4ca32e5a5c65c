// Sessions that really end: logout, password change, user deletion and role
// change close that user's open event and live-view streams at once; wall screens pair once and
// can only acknowledge; login throttling believes X-Forwarded-For only from listed proxies.
import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { makeVerdict } from './fake-alerts.js';
import {
  addStaff,
  login,
  sessionCookie,
  setupAdmin,
  startHarness,
  type Harness,
  type Session,
} from './harness.js';

let h: Harness;
const open: ClientRequest[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) r.destroy();
  await h?.stop();
});

interface Stream {
  /** Resolves with the time the server ended the stream. */
  ended: Promise<number>;
  isOpen(): boolean;
}

/** Opens a streaming GET with this session and waits for its 200. */
async function openStream(s: Session, path: string): Promise<Stream> {
  let done = false;
  const req = httpRequest(`${h.url}${path}`, { headers: { cookie: s.headers.cookie as string } });
  open.push(req);
  const ended = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('close', () => {
        done = true;
        resolve(Date.now());
      });
    });
    req.on('error', () => {
      done = true;
      resolve(Date.now());
    });
  });
  await new Promise<void>((resolve, reject) => {
    req.on('response', (res) =>
      res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode}`)),
    );
    req.end();
  });
  return { ended, isOpen: () => !done };
}

const post = (s: Session, url: string, payload?: object) =>
  h.app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });

describe('sessions that end close their streams', () => {
  it('logout closes that session’s event and live-view streams within 1 s, not other sessions’', async () => {
    h = await startHarness();
    const admin = await setupAdmin(h);
    const sam = await addStaff(h, admin);
    const samElsewhere = await login(h, 'sam', 'staff-password-1');
    const events = await openStream(sam, '/api/events');
    const live = await openStream(sam, '/api/live/expo.mjpg');
    const other = await openStream(samElsewhere, '/api/events');
    const t0 = Date.now();
    expect((await post(sam, '/api/logout')).statusCode).toBe(200);
    expect((await events.ended) - t0).toBeLessThan(1000);
    expect((await live.ended) - t0).toBeLessThan(1000);
    expect(other.isOpen()).toBe(true);
    // Reconnecting with the dead cookie is refused.
    await expect(openStream(sam, '/api/events')).rejects.toThrow('401');
  });

  it('deleting a user, changing a role or a password closes that user’s streams', async () => {
    h = await startHarness();
    const admin = await setupAdmin(h);
    const sam = await addStaff(h, admin);
    const kim = await addStaff(h, admin, 'kim', 'kim-password-12');

    // Role change: the streams close (the page reopens them with the new role); the session stays.
    let s = await openStream(kim, '/api/events');
    let t0 = Date.now();
    expect((await post(admin, '/api/users/kim/role', { role: 'admin' })).json()).toMatchObject({
      role: 'admin',
    });
    expect((await s.ended) - t0).toBeLessThan(1000);
    expect((await h.app.inject({ url: '/api/config', headers: kim.headers })).statusCode).toBe(200);
    // The last admin cannot be demoted... but one of two can.
    expect((await post(admin, '/api/users/kim/role', { role: 'staff' })).statusCode).toBe(200);
    expect((await post(admin, '/api/users/admin/role', { role: 'staff' })).statusCode).toBe(409);

    // Own password change: the other sessions end and their streams close; this one stays.
    const kimTablet = await login(h, 'kim', 'kim-password-12');
    s = await openStream(kimTablet, '/api/events');
    const wrong = await post(kim, '/api/me/password', {
      current: 'not-my-password',
      password: 'x'.repeat(12),
    });
    expect(wrong.statusCode).toBe(403);
    expect(s.isOpen()).toBe(true);
    t0 = Date.now();
    const changed = await post(kim, '/api/me/password', {
      current: 'kim-password-12',
      password: 'kim-new-password-34',
    });
    expect(changed.json()).toEqual({ endedSessions: 1 });
    expect((await s.ended) - t0).toBeLessThan(1000);
    expect((await h.app.inject({ url: '/api/me', headers: kimTablet.headers })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/me', headers: kim.headers })).statusCode).toBe(200);
    await login(h, 'kim', 'kim-new-password-34');

    // Deletion.
    s = await openStream(sam, '/api/events');
    t0 = Date.now();
    expect(
      (await h.app.inject({ method: 'DELETE', url: '/api/users/sam', headers: admin.headers })).statusCode,
    ).toBe(200);
    expect((await s.ended) - t0).toBeLessThan(1000);
  });
});

describe('sessions that expire', () => {
  it('an expired login’s open stream closes (within the 10 s sweep); a paired wall screen’s does not', async () => {
    h = await startHarness();
    const admin = await setupAdmin(h);
    const sam = await addStaff(h, admin);
    const pairing = await post(admin, '/api/displays', { name: 'expo-wall' });
    const paired = await h.app.inject({ url: pairing.json<{ pairPath: string }>().pairPath });
    const wallCookie = `traycheck_session=${sessionCookie(paired)}`;
    const wall: Session = { cookie: wallCookie, csrf: '', headers: { cookie: wallCookie } };
    const samStream = await openStream(sam, '/api/events');
    const wallStream = await openStream(wall, '/api/events');
    // Twelve hours pass for every normal login (the symptom: the kiosk stayed green).
    h.db.prepare("UPDATE sessions SET expires_at = ? WHERE username != 'expo-wall'").run(Date.now() - 1);
    const t0 = Date.now();
    const endedAt = await samStream.ended;
    expect(endedAt - t0).toBeLessThan(12_000);
    expect(wallStream.isOpen()).toBe(true);
    expect((await h.app.inject({ url: '/api/me', headers: { cookie: wallCookie } })).statusCode).toBe(200);
  }, 20_000);
});

describe('wall screens', () => {
  it('pair once with a one-time link, may acknowledge but nothing else, and are revocable', async () => {
    h = await startHarness();
    const admin = await setupAdmin(h);
    const pairing = await post(admin, '/api/displays', { name: 'expo-wall' });
    expect(pairing.statusCode).toBe(201);
    const { pairPath } = pairing.json<{ pairPath: string }>();
    const paired = await h.app.inject({ url: pairPath });
    expect(paired.statusCode).toBe(303);
    expect(paired.headers.location).toBe('/?kiosk=1');
    // Long-lived: the cookie and the session last displaySessionDays (365 by default), not 12 h.
    const cookieLine = String([paired.headers['set-cookie']].flat()[0]);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookieLine)?.[1] ?? '');
    expect(expires - Date.now()).toBeGreaterThan(360 * 86_400_000);
    // The link works once.
    const again = await h.app.inject({ url: pairPath, headers: { accept: 'text/html' } });
    expect(again.statusCode).toBe(403);
    expect(again.headers['content-type']).toContain('text/html');

    const cookie = `traycheck_session=${sessionCookie(paired)}`;
    const me = (await h.app.inject({ url: '/api/me', headers: { cookie } })).json<{
      csrfToken: string;
      role: string;
    }>();
    expect(me.role).toBe('display');
    const wall: Session = { cookie, csrf: me.csrfToken, headers: { cookie, 'x-csrf-token': me.csrfToken } };
    const alert = h.alerts.raise(makeVerdict({ orderId: '7', missing: { fries: 1 } }));
    expect((await post(wall, `/api/alerts/${alert.id}/ack`)).statusCode).toBe(200);
    expect(h.alerts.get(alert.id)).toMatchObject({ acknowledgedBy: 'expo-wall' });
    expect(
      (await post(wall, '/api/me/password', { current: 'x', password: 'y'.repeat(12) })).statusCode,
    ).toBe(403);
    expect((await post(wall, '/api/users', { username: 'eve', password: 'e'.repeat(12) })).statusCode).toBe(
      403,
    );
    // A display account has no password to log in with.
    const pw = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'expo-wall', password: '!' },
    });
    expect(pw.statusCode).toBe(401);

    // Revoked on /tech: its stream closes at once and the cookie is dead.
    const s = await openStream(wall, '/api/events');
    const t0 = Date.now();
    expect(
      (await h.app.inject({ method: 'DELETE', url: '/api/users/expo-wall', headers: admin.headers }))
        .statusCode,
    ).toBe(200);
    expect((await s.ended) - t0).toBeLessThan(1000);
    expect((await h.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('login throttling behind a proxy', () => {
  const fail = (forwardedFor: string, username = 'admin') =>
    h.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { username, password: 'wrong-password-x' },
    });

  it('keys on the forwarded address only when the proxy is trusted', async () => {
    h = await startHarness({ config: { trustedProxies: ['127.0.0.1'], loginMaxFailures: 3 } });
    await setupAdmin(h);
    // Three failures for different accounts from one forwarded address lock that address...
    for (const u of ['a1', 'a2', 'a3']) expect((await fail('203.0.113.7', u)).statusCode).toBe(401);
    expect((await fail('203.0.113.7', 'a4')).statusCode).toBe(429);
    // ...but not another customer behind the same proxy.
    expect((await fail('203.0.113.8', 'a5')).statusCode).toBe(401);
    await h.stop();

    h = await startHarness({ config: { loginMaxFailures: 3 } });
    await setupAdmin(h);
    // Untrusted: the header is ignored, everyone is the socket address.
    for (const [i, u] of ['a1', 'a2', 'a3'].entries())
      expect((await fail(`198.51.100.${i}`, u)).statusCode).toBe(401);
    expect((await fail('198.51.100.99', 'a4')).statusCode).toBe(429);
  });
});
