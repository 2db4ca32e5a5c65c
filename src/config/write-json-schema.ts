// Generates config/traycheck.schema.json from the one TypeBox schema (run by `npm run schema` after a build).
import { writeFileSync } from 'node:fs';
import { projectPath } from '../paths.js';
import { configJsonSchema } from './json-schema.js';

writeFileSync(
  projectPath('config', 'traycheck.schema.json'),
  JSON.stringify(configJsonSchema(), null, 2) + '\n',
);
