// Turn a JSON Schema fragment into the "expected ..." phrase of a config error.
import type { TSchema } from '@sinclair/typebox';

export function describeExpected(schema: TSchema): string {
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.anyOf)) {
    return (s.anyOf as TSchema[]).map(describeExpected).join(' or ');
  }
  if ('const' in s) return JSON.stringify(s.const);
  const type = s.type as string | undefined;
  const range = rangeText(s);
  switch (type) {
    case 'integer':
      return `integer${range}`;
    case 'number':
      return `number${range}`;
    case 'string': {
      const parts = ['string'];
      if (typeof s.pattern === 'string') parts.push(`matching ${s.pattern}`);
      if (typeof s.minLength === 'number' && s.minLength > 0)
        parts.push(`of at least ${s.minLength} characters`);
      if (typeof s.maxLength === 'number') parts.push(`of at most ${s.maxLength} characters`);
      return parts.join(' ');
    }
    case 'boolean':
      return 'true or false';
    case 'array': {
      const n = typeof s.minItems === 'number' ? ` with at least ${s.minItems} entries` : '';
      return `list${n}`;
    }
    case 'object':
      return 'mapping';
    default:
      return typeof s.description === 'string' ? s.description : 'a valid value';
  }
}

function rangeText(s: Record<string, unknown>): string {
  const min = typeof s.minimum === 'number' ? s.minimum : undefined;
  const max = typeof s.maximum === 'number' ? s.maximum : undefined;
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}
