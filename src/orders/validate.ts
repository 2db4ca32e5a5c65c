// Inbound POS/KDS payload validation. Pure: bytes in, a typed event or a precise reason out.
// Order of checks matters for safety: size and nesting depth are checked on the raw bytes before
// JSON.parse, so a hostile payload costs at most one linear scan.
import { FormatRegistry, Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { INBOUND_TYPES, type InboundChannel, type PosEvent } from './payloads.js';

export interface ValidateLimits {
  maxPayloadBytes: number;
  maxNestingDepth: number;
}

export type Validation =
  | { ok: true; event: PosEvent }
  /** `key` groups reasons for counters and log rate limiting ("too-large", "items[].qty", ...). */
  | { ok: false; reason: string; key: string };

const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/i;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) => ISO_DATE_TIME.test(v) && Number.isFinite(Date.parse(v)));
}

const compiled = new Map<TSchema, TypeCheck<TSchema>>();
const checker = (schema: TSchema): TypeCheck<TSchema> => {
  let c = compiled.get(schema);
  if (!c) compiled.set(schema, (c = TypeCompiler.Compile(schema)));
  return c;
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Deepest `{`/`[` nesting of a JSON text, ignoring brackets inside strings; stops past `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}

const fail = (reason: string, key: string): Validation => ({ ok: false, reason, key });

export function preview(value: unknown, max = 40): string {
  if (value === undefined) return 'nothing';
  let s: string;
  try {
    s = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value);
  } catch {
    s = typeof value;
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** What a schema expects, in words: "integer 1..100", "string of 1..64 characters". */
export function describeSchema(schema: TSchema): string {
  const s = schema as TSchema & Record<string, unknown>;
  const range = (lo?: number, hi?: number): string =>
    lo !== undefined && hi !== undefined
      ? ` ${lo}..${hi}`
      : lo !== undefined
        ? ` ≥ ${lo}`
        : hi !== undefined
          ? ` ≤ ${hi}`
          : '';
  const num = (k: string): number | undefined => (typeof s[k] === 'number' ? s[k] : undefined);
  switch (s[Kind]) {
    case 'Union':
      return (s.anyOf as TSchema[]).map(describeSchema).join(' or ');
    case 'Literal':
      return JSON.stringify(s.const);
    case 'Integer':
      return `integer${range(num('minimum'), num('maximum'))}`;
    case 'Number':
      return `number${range(num('minimum'), num('maximum'))}`;
    case 'String':
      if (s.format === 'date-time') return 'ISO 8601 date-time string';
      return s.minLength !== undefined || s.maxLength !== undefined
        ? `string of${range(num('minLength'), num('maxLength'))} characters${s.pattern === undefined ? '' : ' without control characters'}`
        : 'string';
    case 'Array':
      return s.minItems !== undefined || s.maxItems !== undefined
        ? `array of${range(num('minItems'), num('maxItems'))} items`
        : 'array';
    case 'Object':
      return 'object';
    default:
      return String(s[Kind] ?? 'value').toLowerCase();
  }
}

/** "/items/2/qty" → "items[2].qty" (and the counter key "items[].qty"). */
export function formatPath(pointer: string): { path: string; key: string } {
  let path = '';
  let key = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) {
      path += `[${part}]`;
      key += '[]';
    } else {
      path += path ? `.${part}` : part;
      key += key ? `.${part}` : part;
    }
  }
  return { path: path || '(root)', key: key || '(root)' };
}

export function describeError(e: ValueError): { reason: string; key: string } {
  const { path, key } = formatPath(e.path);
  const expected = describeSchema(e.schema);
  if (
    e.type === ValueErrorType.ObjectRequiredProperty ||
    (e.value === undefined && e.type !== ValueErrorType.Object)
  ) {
    return { reason: `${path}: required, expected ${expected}`, key };
  }
  return { reason: `${path}: expected ${expected}, got ${preview(e.value)}`, key };
}

/** Validate one inbound message of `channel` ("pos" or "kds"); never throws. */
export function validateMessage(
  payload: Buffer,
  channel: InboundChannel,
  limits: ValidateLimits,
): Validation {
  if (payload.length === 0) return fail('empty payload', 'empty');
  if (payload.length > limits.maxPayloadBytes) {
    return fail(`payload too large: ${payload.length} bytes > ${limits.maxPayloadBytes}`, 'too-large');
  }
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return fail('not valid UTF-8', 'not-utf8');
  }
  const depth = jsonDepth(text, limits.maxNestingDepth);
  if (depth > limits.maxNestingDepth)
    return fail(`nesting deeper than ${limits.maxNestingDepth} levels`, 'too-deep');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail(`not JSON: ${preview((err as Error).message, 80).replace(/^"|"$/g, '')}`, 'not-json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(`expected a JSON object, got ${kindOf(value)}`, 'not-object');
  }
  const type = (value as Record<string, unknown>).type;
  const accepted = INBOUND_TYPES[channel] as Record<string, TSchema>;
  const schema = typeof type === 'string' && Object.hasOwn(accepted, type) ? accepted[type] : undefined;
  if (!schema) {
    const names = Object.keys(accepted)
      .map((t) => `"${t}"`)
      .join(', ');
    const other = channel === 'pos' ? 'kds' : 'pos';
    const elsewhere =
      typeof type === 'string' && Object.hasOwn(INBOUND_TYPES[other], type)
        ? ` (send it to .../${other})`
        : '';
    return fail(
      type === undefined
        ? `type: required, expected one of ${names}`
        : `type: expected one of ${names}, got ${preview(type)}${elsewhere}`,
      elsewhere ? 'wrong-topic' : 'unknown-type',
    );
  }
  const check = checker(schema);
  if (check.Check(value)) return { ok: true, event: value as PosEvent };
  const first = check.Errors(value).First();
  if (!first) return fail('invalid payload', 'invalid');
  return fail(describeError(first).reason, describeError(first).key);
}
