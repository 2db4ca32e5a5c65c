// Writes schemas/*.json (the MQTT payload contract for POS/KDS integrators) from payloads.ts,
// the one source. Run by `npm run schema`; test/orders/schemas.test.ts fails when they are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { projectPath } from '../paths.js';
import { PAYLOAD_SCHEMAS, schemaFileText } from './payloads.js';

mkdirSync(projectPath('schemas'), { recursive: true });
for (const [file, schema] of Object.entries(PAYLOAD_SCHEMAS))
  writeFileSync(projectPath('schemas', file), schemaFileText(schema));
process.stdout.write(`wrote ${Object.keys(PAYLOAD_SCHEMAS).length} schemas to ${projectPath('schemas')}\n`);
