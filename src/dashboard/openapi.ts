// /api/openapi.json: @fastify/swagger builds it from the route schemas; this file says how a
// route's access level becomes its security requirement and turns what TypeBox writes (JSON
// Schema draft 7) into OpenAPI 3.0 Schema Objects, which a strict validator accepts.
import type { SwaggerOptions } from '@fastify/swagger';
import type { Access } from './security.js';

/**
 * A JSON Schema (draft 7, as TypeBox writes it) as an OpenAPI 3.0 Schema Object: `$id`/`$schema`
 * go (the document inlines every schema); `const` becomes a one-value `enum`; `patternProperties`
 * (Type.Record) becomes `additionalProperties`; a union with `null` becomes `nullable: true`
 * (3.0 has no null type).
 */

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

/** Applies toOpenApi30 to every Schema Object of a document (under `schema` and components). */
function convertSchemas<T>(doc: T): T {
  return convertNode(doc) as T;
}

function convertNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNode);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown>).map(([k, v]) => [
      k,
      k === 'schema'
        ? toOpenApi30(v)
        : k === 'schemas' && v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([name, s]) => [name, toOpenApi30(s)]))
          : convertNode(v),
    ]),
  );
}

const SECURITY: Record<Access, Array<Record<string, string[]>>> = {
  public: [],
  staff: [{ session: [] }],
  admin: [{ session: [] }],
  page: [{ session: [] }],
  monitor: [{}, { session: [] }, { metricsToken: [] }],
};

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ErrorShape = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] };

/** operationId from method and path: `GET /api/verdicts/:id` → `getApiVerdictsId`. */
const operationId = (method: string, url: string): string =>
  `${method.toLowerCase()}${url.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : ''))}`;

export function swaggerOptions(info: { title: string; version: string }): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        ...info,
        description:
          'traycheck dashboard API. Mutations need the session cookie, X-CSRF-Token and a same-origin Origin.',
      },
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
    },
    // Access level → security requirement; a mutation behind a login also needs the CSRF header.
    transform({ schema, url, route }) {
      if (!schema || url.startsWith('/ui/')) return { schema: { ...schema, hide: true }, url };
      const access: Access = route.config?.access ?? 'staff';
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const csrf = access !== 'public' && methods.some((m) => MUTATING.has(m));
      const responses: object = schema.response && typeof schema.response === 'object' ? schema.response : {};
      return {
        url,
        schema: {
          ...schema,
          operationId: operationId(String(methods[0]), url),
          security: SECURITY[access],
          ...(access === 'public'
            ? {}
            : { response: { 401: { description: 'Not logged in', ...ErrorShape }, ...responses } }),
          ...(csrf
            ? {
                headers: {
                  type: 'object',
                  required: ['X-CSRF-Token'],
                  properties: { 'X-CSRF-Token': { type: 'string', description: 'From GET /api/me.' } },
                },
              }
            : {}),
        },
      };
    },
    transformObject: (doc) =>
      'openapiObject' in doc ? convertSchemas(doc.openapiObject) : convertSchemas(doc.swaggerObject),
  };
}
