// OpenAPI 3 document generated from the fastify route schemas (no extra dependency): every route
// registered after `collectRoutes` is recorded and turned into a path item at /api/openapi.json.
import type { FastifyInstance, RouteOptions } from 'fastify';

// The same documentation keys @fastify/swagger reads, so the route files stay familiar.
declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    hide?: boolean;
    produces?: string[];
  }
}

interface RouteSchema {
  summary?: string;
  hide?: boolean;
  produces?: string[];
  params?: unknown;
  querystring?: unknown;
  body?: unknown;
  response?: Record<string, unknown>;
}

interface Recorded {
  method: string;
  url: string;
  schema: RouteSchema;
  access: string;
}

/**
 * A route's JSON Schema (draft 7, as TypeBox writes it) as an OpenAPI 3.0 Schema Object: the JSON
 * round trip drops TypeBox's symbol keys; `$id`/`$schema` go (the document inlines every schema);
 * `const` becomes a one-value `enum`; `patternProperties` (Type.Record) becomes
 * `additionalProperties`; a union with `null` becomes `nullable: true` (3.0 has no null type).
 */
const plain = (s: unknown): Record<string, unknown> =>
  toOpenApi30(JSON.parse(JSON.stringify(s ?? {}))) as Record<string, unknown>;

export function toOpenApi30(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toOpenApi30);
  if (!node || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === '$id' || k === '$schema') continue;
    if (k === 'const') out.enum = [v];
    else if (k === 'patternProperties' && v && typeof v === 'object') {
      const [first] = Object.values(v as Record<string, unknown>);
      if (first !== undefined) out.additionalProperties = toOpenApi30(first);
    } else if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([name, p]) => [name, toOpenApi30(p)]),
      );
    } else out[k] = toOpenApi30(v);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = src[key];
    if (!Array.isArray(list)) continue;
    const isNull = (x: unknown) =>
      Boolean(x && typeof x === 'object' && (x as { type?: unknown }).type === 'null');
    const rest = list.filter((x) => !isNull(x)).map(toOpenApi30);
    if (rest.length === list.length) continue;
    delete out[key];
    if (rest.length === 1) Object.assign(out, rest[0] as Record<string, unknown>);
    else out[key] = rest;
    out.nullable = true;
  }
  if (out.type === 'null') {
    delete out.type;
    out.nullable = true;
  }
  return out;
}

function parameters(schema: unknown, where: 'path' | 'query'): unknown[] {
  const s = plain(schema);
  const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(props).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
    schema: p,
  }));
}

export function collectRoutes(app: FastifyInstance): Recorded[] {
  const routes: Recorded[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    const methods = (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');
    const schema = (r.schema ?? {}) as RouteSchema;
    if (schema.hide || r.url.startsWith('/ui/')) return;
    for (const method of methods)
      routes.push({ method: method.toLowerCase(), url: r.url, schema, access: r.config?.access ?? 'staff' });
  });
  return routes;
}

const SECURITY: Record<string, unknown[]> = {
  public: [],
  staff: [{ session: [] }],
  admin: [{ session: [] }],
  page: [{ session: [] }],
  monitor: [{}, { session: [] }, { metricsToken: [] }],
};

export function openApiDocument(routes: Recorded[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const s = r.schema;
    const responses: Record<string, unknown> = {};
    for (const [code, body] of Object.entries(s.response ?? {})) {
      responses[code] = {
        description: code === '200' || code === '201' ? 'OK' : 'Error',
        content: { 'application/json': { schema: plain(body) } },
      };
    }
    if (!responses['200'] && !responses['201']) {
      const type = s.produces?.[0] ?? 'application/json';
      responses['200'] = { description: 'OK', content: { [type]: {} } };
    }
    if (r.access !== 'public') responses['401'] = { description: 'Not logged in' };
    const op: Record<string, unknown> = {
      summary: s.summary ?? '',
      operationId: `${r.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : ''))}`,
      security: SECURITY[r.access] ?? SECURITY.staff,
      parameters: [
        ...(s.params ? parameters(s.params, 'path') : []),
        ...(s.querystring ? parameters(s.querystring, 'query') : []),
      ],
      responses,
    };
    if (s.body)
      op.requestBody = { required: true, content: { 'application/json': { schema: plain(s.body) } } };
    if (['post', 'put', 'patch', 'delete'].includes(r.method) && r.access !== 'public') {
      (op.parameters as unknown[]).push({
        name: 'X-CSRF-Token',
        in: 'header',
        required: true,
        schema: { type: 'string' },
        description: 'From GET /api/me.',
      });
    }
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.0.3',
    info: {
      ...info,
      description:
        'traycheck dashboard API. Mutations need the session cookie, X-CSRF-Token and a same-origin Origin.',
    },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'traycheck_session' },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'dashboard.metricsToken, for /metrics and /api/health',
        },
      },
    },
  };
}
