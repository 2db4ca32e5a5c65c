// /api/openapi.json against the OpenAPI 3.0.3 rules a strict validator applies: only
// Schema Object keywords 3.0 knows (no `$id`, `patternProperties`, `const`, `type: 'null'` leaking
// from TypeBox), every operation with responses and descriptions, path parameters declared and
// required, unique operationIds. The walker is written out here because no validator package is
// installed; it fails on anything outside the 3.0 Schema Object vocabulary.
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { TeachConfig } from '../../src/config/schema.js';
import { TeachSection } from '../../src/config/sections/teach.js';
import { toOpenApi30 } from '../../src/dashboard/openapi.js';
import type { ModelInfo } from '../../src/detect/model.js';
import { silentLogger } from '../../src/log.js';
import { createTeachApi } from '../../src/teach/api.js';
import { createFrameStore } from '../../src/teach/frames.js';
import { startHarness, type Harness } from './harness.js';

const SCHEMA_KEYS = new Set([
  'title',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'enum',
  'type',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'items',
  'properties',
  'additionalProperties',
  'description',
  'format',
  'default',
  'nullable',
  'discriminator',
  'readOnly',
  'writeOnly',
  'xml',
  'externalDocs',
  'example',
  'deprecated',
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Every problem with a Schema Object, as "where: what". */
function schemaProblems(s: unknown, where: string): string[] {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return [`${where}: not an object`];
  const o = s as Record<string, unknown>;
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (!SCHEMA_KEYS.has(k) && !k.startsWith('x-')) out.push(`${where}: keyword ${k} is not OpenAPI 3.0`);
    if (k === 'type' && !(typeof v === 'string' && TYPES.has(v)))
      out.push(`${where}: type ${JSON.stringify(v)}`);
    if ((k === 'exclusiveMinimum' || k === 'exclusiveMaximum') && typeof v !== 'boolean')
      out.push(`${where}: ${k} must be boolean in 3.0`);
    if (k === 'required' && !(Array.isArray(v) && v.length > 0))
      out.push(`${where}: required must be a non-empty array`);
    if (k === 'enum' && !(Array.isArray(v) && v.length > 0))
      out.push(`${where}: enum must be a non-empty array`);
    if (k === 'properties')
      for (const [name, p] of Object.entries(v as Record<string, unknown>))
        out.push(...schemaProblems(p, `${where}.properties.${name}`));
    if (k === 'items' || k === 'not' || (k === 'additionalProperties' && typeof v === 'object'))
      out.push(...schemaProblems(v, `${where}.${k}`));
    if (k === 'allOf' || k === 'oneOf' || k === 'anyOf') {
      if (!Array.isArray(v) || v.length === 0) out.push(`${where}: ${k} must be a non-empty array`);
      else v.forEach((x, i) => out.push(...schemaProblems(x, `${where}.${k}[${i}]`)));
    }
  }
  if (o.type === 'array' && o.items === undefined) out.push(`${where}: array without items`);
  return out;
}

interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

function documentProblems(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (!/^3\.0\.\d+$/.test(String(doc.openapi))) out.push(`openapi: ${String(doc.openapi)}`);
  const info = doc.info as { title?: unknown; version?: unknown } | undefined;
  if (typeof info?.title !== 'string' || typeof info.version !== 'string')
    out.push('info: title and version');
  for (const k of Object.keys(doc))
    if (
      !['openapi', 'info', 'servers', 'paths', 'components', 'security', 'tags', 'externalDocs'].includes(k)
    )
      out.push(`top-level key ${k}`);
  const components = (doc.components ?? {}) as { schemas?: Record<string, unknown> };
  for (const [name, schema] of Object.entries(components.schemas ?? {}))
    out.push(...schemaProblems(schema, `components.schemas.${name}`));
  if (JSON.stringify(doc).includes('"$ref"'))
    out.push('a $ref left in the document (every schema is inlined)');
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    if (!path.startsWith('/')) out.push(`${path}: must start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const at = `${method.toUpperCase()} ${path}`;
      if (!METHODS.has(method)) out.push(`${at}: unknown method`);
      if (op.operationId) {
        if (ids.has(op.operationId)) out.push(`${at}: duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
      }
      const params = op.parameters ?? [];
      for (const name of templated)
        if (!params.some((p) => p.in === 'path' && p.name === name && p.required === true))
          out.push(`${at}: path parameter ${name} not declared as required`);
      for (const p of params) {
        if (!['path', 'query', 'header', 'cookie'].includes(p.in))
          out.push(`${at}: parameter ${p.name} in ${p.in}`);
        if (p.in === 'path' && !templated.includes(p.name))
          out.push(`${at}: path parameter ${p.name} not in path`);
        if (p.schema) out.push(...schemaProblems(p.schema, `${at} parameter ${p.name}`));
      }
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
        if (media.schema) out.push(...schemaProblems(media.schema, `${at} body ${type}`));
      const responses = Object.entries(op.responses ?? {});
      if (responses.length === 0) out.push(`${at}: no responses`);
      for (const [code, r] of responses) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) out.push(`${at}: response code ${code}`);
        if (typeof r.description !== 'string') out.push(`${at} ${code}: no description`);
        for (const [type, media] of Object.entries(r.content ?? {}))
          if (media.schema) out.push(...schemaProblems(media.schema, `${at} ${code} ${type}`));
      }
    }
  }
  return out;
}

let h: Harness;
const LABELS = ['tray', 'burger', 'fries', 'drink'];

beforeAll(async () => {
  // With /teach and its frames on, so their routes are in the document too.
  h = await startHarness({
    extra: (dir) => ({
      teach: createTeachApi({
        loaded: parseConfigText(
          `store: { id: s1, name: Test }\ncameras: []\nstorage: { dataDir: ${JSON.stringify(dir)} }\n` +
            'menu: { BURGER: { name: Burger, contains: { burger: 1 } } }\n',
          join(dir, 'traycheck.yaml'),
        ),
        // Never asked: the document is built from the route schemas, no handler runs.
        model: (): ModelInfo => {
          throw new Error('no model in the OpenAPI test');
        },
        log: silentLogger(),
      }),
      teachFrames: createFrameStore({
        dataDir: dir,
        teach: Value.Default(TeachSection, {}) as TeachConfig,
        labels: () => LABELS,
        orderItems: () => [],
      }),
    }),
  });
});
afterAll(async () => h?.stop());

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.0: no JSON Schema draft-7 keywords leak from TypeBox', async () => {
    const res = await h.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<Record<string, unknown>>();
    expect(documentProblems(doc)).toEqual([]);
    const paths = doc.paths as Record<string, unknown>;
    // Generated from the route schemas: the routes added later are in it without a hand-written entry.
    for (const p of [
      '/api/me/password',
      '/api/displays',
      '/api/users/{username}/role',
      '/api/events',
      '/api/alerts/{id}/dismiss',
      '/api/cameras/{cameraId}/reconnect',
      '/api/tech/broker-test',
      '/api/orders',
      '/api/alerts/{id}/false-alarm',
      '/api/teach',
      '/api/teach/promote',
      '/api/teach/sprites',
      '/api/teach/sprites/{label}/{file}',
      '/api/teach/train',
      '/api/teach/compare',
      '/api/teach/rollback',
      '/api/teach/frames',
      '/api/teach/frames/{id}',
      '/api/teach/frames/{id}/image',
    ])
      expect(paths).toHaveProperty([p]);
    // Hidden: pages, static files, the document itself.
    for (const p of ['/', '/tech', '/teach', '/ui/*', '/api/openapi.json', '/pair'])
      expect(paths).not.toHaveProperty([p]);
  });

  it('says who may call each operation: security from the access level, CSRF on logged-in mutations', async () => {
    type Op = {
      security: unknown[];
      parameters?: Array<{ name: string; in: string; required?: boolean }>;
      responses: Record<string, unknown>;
    };
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, Op>>;
    }>();
    const op = (path: string, method: string): Op => {
      const o = doc.paths[path]?.[method];
      if (!o) throw new Error(`${method} ${path} missing`);
      return o;
    };
    const csrf = (o: Op) => o.parameters?.find((p) => p.in === 'header' && p.name === 'X-CSRF-Token');
    const reconnect = op('/api/cameras/{cameraId}/reconnect', 'post');
    expect(reconnect.security).toEqual([{ session: [] }]);
    expect(csrf(reconnect)).toMatchObject({ required: true });
    expect(Object.keys(reconnect.responses).sort()).toEqual(['202', '401', '404']);
    const login = op('/api/login', 'post');
    expect(login.security).toEqual([]);
    expect(csrf(login)).toBeUndefined();
    expect(login.responses).not.toHaveProperty(['401', 'description'], 'Not logged in');
    expect(op('/api/health', 'get').security).toEqual([{}, { session: [] }, { metricsToken: [] }]);
    const alerts = op('/api/alerts', 'get');
    expect(csrf(alerts)).toBeUndefined();
    expect(alerts.responses['401']).toMatchObject({ description: 'Not logged in' });
    // Query parameters come from the querystring schema, with their bounds.
    expect(op('/api/orders', 'get').parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'pageSize',
          in: 'query',
          schema: expect.objectContaining({ maximum: 100 }) as unknown,
        }),
      ]),
    );
    // The teach routes carry their schemas: admin only, bodies and parameters with their bounds.
    const promote = op('/api/teach/promote', 'post');
    expect(promote.security).toEqual([{ session: [] }]);
    expect(csrf(promote)).toMatchObject({ required: true });
    expect(Object.keys(promote.responses).sort()).toEqual(['200', '400', '401', '409']);
    expect(op('/api/teach/sprites', 'post').parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'label', in: 'query', required: true })]),
    );
    expect(op('/api/teach/frames', 'get').parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'perPage',
          in: 'query',
          schema: expect.objectContaining({ maximum: 200 }) as unknown,
        }),
      ]),
    );
    expect(Object.keys(op('/api/teach/frames/{id}', 'put').responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '404',
    ]);
    expect(csrf(op('/api/alerts/{id}/false-alarm', 'post'))).toMatchObject({ required: true });
  });

  it('the checker itself rejects what a strict validator rejects, and the conversion fixes it', () => {
    const typebox = {
      $id: 'Alert',
      type: 'object',
      properties: {
        role: { const: 'staff', type: 'string' },
        counts: { type: 'object', patternProperties: { '^(.*)$': { type: 'number' } } },
        orderId: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
    };
    expect(schemaProblems(typebox, 's')).toEqual([
      's: keyword $id is not OpenAPI 3.0',
      's.properties.role: keyword const is not OpenAPI 3.0',
      's.properties.counts: keyword patternProperties is not OpenAPI 3.0',
      's.properties.orderId.anyOf[1]: type "null"',
    ]);
    const converted = toOpenApi30(typebox);
    expect(schemaProblems(converted, 's')).toEqual([]);
    expect(converted).toEqual({
      type: 'object',
      properties: {
        role: { enum: ['staff'], type: 'string' },
        counts: { type: 'object', additionalProperties: { type: 'number' } },
        orderId: { type: 'string', nullable: true },
      },
    });
  });
});
