import { ConfigSchema } from './schema.js';

/** The config JSON Schema (draft-07) for editors and the dashboard, derived from the one TypeBox schema. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(JSON.parse(JSON.stringify(ConfigSchema)) as Record<string, unknown>),
  };
}
