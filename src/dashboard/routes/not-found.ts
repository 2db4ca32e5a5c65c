// Unknown URLs: an HTML page for a browser, JSON for the API and for clients that ask for JSON.
import type { FastifyInstance, FastifyRequest } from 'fastify';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A minimal page in the dashboard's style (no script: it must work when nothing else does). */
export function htmlPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)} · traycheck</title>
    <link rel="icon" href="/ui/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/ui/style.css" />
    <link rel="stylesheet" href="/ui/responsive.css" />
  </head>
  <body class="page-plain">
    <main class="plain">
      <h1>${escapeHtml(title)}</h1>
      <p>${escapeHtml(message)}</p>
      <p><a class="btn" href="/">Go to the alerts</a></p>
    </main>
  </body>
</html>
`;
}

const wantsHtml = (req: FastifyRequest): boolean =>
  !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');

export function notFound(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) =>
    wantsHtml(req)
      ? reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send(htmlPage('Page not found', `There is no page at ${req.url.slice(0, 200)}.`))
      : reply.code(404).send({ error: 'not found' }),
  );
}
