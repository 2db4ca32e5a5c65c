// Every request passes here: security headers, session lookup, role check, and for
// mutations an Origin check plus the per-session CSRF token (X-CSRF-Token).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRow } from '../store/users-repo.js';
import type { Auth } from './auth/service.js';
import { safeEqual } from './auth/tokens.js';

/**
 * Who may call a route:
 * - public: anyone (login, setup, schemas, static assets)
 * - page: an HTML page; without a session the browser is sent to /login
 * - staff / admin: a login session with at least that role
 * - monitor: /metrics and /api/health: a session, or the metricsToken bearer, or anyone when
 *   no token is configured and the dashboard listens on loopback only
 */
export type Access = 'public' | 'page' | 'staff' | 'admin' | 'monitor';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** A paired wall screen (display role) may call this mutation; it may call no other. */
    display?: boolean;
  }
  interface FastifyRequest {
    session: SessionRow | null;
  }
}

export const SESSION_COOKIE = 'traycheck_session';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function securityHeaders(tls: boolean): Record<string, string> {
  const h: Record<string, string> = {
    'content-security-policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
      "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
  if (tls) h['strict-transport-security'] = 'max-age=31536000';
  return h;
}

export interface SecurityOptions {
  auth: Auth;
  tls: boolean;
  metricsToken: string | undefined;
  loopbackOnly: boolean;
}

const deny = (reply: FastifyReply, status: number, error: string) => reply.code(status).send({ error });

export function installSecurity(app: FastifyInstance, opts: SecurityOptions): void {
  const headers = securityHeaders(opts.tls);
  app.decorateRequest('session', null);

  app.addHook('onSend', async (req, reply, payload) => {
    reply.headers(headers);
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    return payload;
  });

  app.addHook('onRequest', async (req, reply) => {
    req.session = opts.auth.session(req.cookies[SESSION_COOKIE]);
    // Unknown routes have no url: let them reach the 404 handler. UI assets (/ui/*) are public;
    // any other route without an explicit access level needs a login.
    const url = req.routeOptions.url;
    const access: Access =
      url === undefined || url.startsWith('/ui/') ? 'public' : (req.routeOptions.config.access ?? 'staff');

    if (MUTATING.has(req.method) && !sameOrigin(req, opts.tls))
      return deny(reply, 403, 'cross-origin request refused');

    switch (access) {
      case 'public':
        return;
      case 'page':
        if (!req.session) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
        return;
      case 'monitor':
        if (req.session || bearerOk(req, opts.metricsToken) || (opts.loopbackOnly && !opts.metricsToken))
          return;
        return deny(reply, 401, 'authentication required (login session or metrics bearer token)');
      case 'staff':
      case 'admin':
        if (!req.session) return deny(reply, 401, 'authentication required');
        if (access === 'admin' && req.session.role !== 'admin')
          return deny(reply, 403, 'admin role required');
        if (MUTATING.has(req.method)) {
          if (req.session.role === 'display' && !req.routeOptions.config.display)
            return deny(reply, 403, 'a wall screen can only acknowledge alerts');
          const token = req.headers['x-csrf-token'];
          if (typeof token !== 'string' || !safeEqual(token, req.session.csrfToken)) {
            return deny(reply, 403, 'missing or wrong X-CSRF-Token header');
          }
        }
        return;
    }
  });
}

/** Browsers send Origin on every cross-site POST; when present it must be this host. */
function sameOrigin(req: FastifyRequest, tls: boolean): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host;
  return host !== undefined && origin === `${tls ? 'https' : 'http'}://${host}`;
}

function bearerOk(req: FastifyRequest, token: string | undefined): boolean {
  const h = req.headers.authorization;
  if (!token || typeof h !== 'string' || !h.startsWith('Bearer ')) return false;
  return safeEqual(h.slice(7).trim(), token);
}
