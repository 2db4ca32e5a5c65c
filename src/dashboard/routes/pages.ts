// The static UI: one HTML page per view plus shared assets, all served from this box.
import { existsSync } from 'node:fs';
import { projectPath } from '../../paths.js';
import type { DashboardPlugin } from '../context.js';

export const PAGES: Record<string, string> = {
  '/': 'alerts.html',
  '/live': 'live.html',
  '/orders': 'orders.html',
  '/history': 'history.html',
  '/manager': 'manager.html',
  '/tech': 'tech.html',
  '/account': 'account.html',
};

/** src/dashboard/ui holds the pages; the daemon runs from dist/ and serves them from the source tree it ships with. */
export function uiDir(): string {
  const dir = projectPath('src', 'dashboard', 'ui');
  if (!existsSync(dir)) throw new Error(`dashboard UI folder missing: ${dir}`);
  return dir;
}

/** The HTML pages; their files come through @fastify/static, registered on the root app (server.ts). */
export const pageRoutes: DashboardPlugin = (app, _opts, done) => {
  const html = { access: 'page' as const };
  const hide = { hide: true };
  for (const [url, file] of Object.entries(PAGES)) {
    app.get(url, { config: html, schema: hide }, (_req, reply) =>
      reply.header('cache-control', 'no-store').sendFile(file),
    );
  }
  app.get('/login', { config: { access: 'public' }, schema: hide }, (_req, reply) =>
    reply.sendFile('login.html'),
  );
  app.get('/setup', { config: { access: 'public' }, schema: hide }, (_req, reply) =>
    reply.sendFile('setup.html'),
  );
  app.get('/favicon.ico', { config: { access: 'public' }, schema: hide }, (_req, reply) =>
    reply.sendFile('favicon.svg'),
  );
  done();
};
