// schemas/*.json are generated from src/orders/payloads.ts (npm run schema) and must not drift.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAYLOAD_SCHEMAS, schemaFileText } from '../../src/orders/payloads.js';
import { ROOT } from '../helpers/daemon.js';

const DIR = join(ROOT, 'schemas');

describe('MQTT payload JSON Schemas', () => {
  it('every schema file is up to date with payloads.ts (run "npm run schema" after changing it)', () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(Object.keys(PAYLOAD_SCHEMAS).sort());
    for (const [file, schema] of Object.entries(PAYLOAD_SCHEMAS)) {
      expect(readFileSync(join(DIR, file), 'utf8'), file).toBe(schemaFileText(schema));
    }
  });

  it('documents the limits integrators must respect', () => {
    const placed = JSON.parse(readFileSync(join(DIR, 'pos-order-placed.json'), 'utf8')) as {
      required: string[];
      properties: {
        items: {
          minItems: number;
          maxItems: number;
          items: { properties: { qty: { minimum: number; maximum: number } } };
        };
      };
    };
    expect(placed.required).toEqual(expect.arrayContaining(['type', 'orderId', 'items']));
    expect(placed.properties.items).toMatchObject({ minItems: 1, maxItems: 100 });
    expect(placed.properties.items.items.properties.qty).toMatchObject({ minimum: 1, maximum: 100 });
  });
});
