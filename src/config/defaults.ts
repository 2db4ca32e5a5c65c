// Fill schema defaults into a parsed config. TypeBox's Value.Default does not descend into
// Record values (menu entries), so we walk the schema ourselves: objects, records, arrays.
type Json = Record<string, unknown>;

export function applyDefaults(schema: Json, value: unknown): unknown {
  if (value === undefined && 'default' in schema) value = structuredClone(schema.default);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items && typeof items === 'object' && !Array.isArray(items))
      return value.map((v) => applyDefaults(items as Json, v));
    return value;
  }
  const obj = value as Json;
  const props = schema.properties as Record<string, Json> | undefined;
  if (props) {
    for (const [k, sub] of Object.entries(props)) {
      const filled = applyDefaults(sub, obj[k]);
      if (filled !== undefined) obj[k] = filled;
    }
  }
  const patterns = schema.patternProperties as Record<string, Json> | undefined;
  if (patterns) {
    for (const [pattern, sub] of Object.entries(patterns)) {
      const re = new RegExp(pattern);
      for (const k of Object.keys(obj)) if (re.test(k)) obj[k] = applyDefaults(sub, obj[k]);
    }
  }
  return obj;
}
