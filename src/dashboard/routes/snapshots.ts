// Tray snapshots by id. The id must match a strict pattern (no dots or slashes) and is resolved
// only through deps.snapshotPath; the result must still lie inside the data folder.
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { DashboardPlugin } from '../context.js';
import { ErrorReply, FileReply } from '../schemas.js';

export const SNAPSHOT_ID_PATTERN = '^[A-Za-z0-9_-]{1,128}$';
const Params = Type.Object({ id: Type.String({ pattern: SNAPSHOT_ID_PATTERN }) });

function insideDir(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export const snapshotRoutes: DashboardPlugin = (app, { ctx }, done) => {
  app.get(
    '/api/snapshots/:id.jpg',
    {
      schema: {
        summary: 'A tray snapshot (JPEG)',
        produces: ['image/jpeg'],
        params: Params,
        response: { 200: FileReply, 404: ErrorReply },
      },
    },
    async (req, reply) => {
      const file = ctx.deps.files.snapshotPath(req.params.id);
      let real: string | null = null;
      try {
        real = file ? realpathSync(file) : null;
        if (real && (!statSync(real).isFile() || !insideDir(real, realpathSync(ctx.deps.files.dataDir))))
          real = null;
      } catch {
        real = null;
      }
      if (!real) return reply.code(404).send({ error: 'no such snapshot' });
      return reply
        .type('image/jpeg')
        .header('cache-control', 'private, max-age=86400, immutable')
        .send(createReadStream(real));
    },
  );
  done();
};
