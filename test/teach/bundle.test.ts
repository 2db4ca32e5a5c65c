// Model bundles between stores through the CLI: export at one store, import at another as a
// candidate (then compare/promote as usual); a damaged bundle and a bundle whose model lacks a
// label the importing store's menu uses are refused, the latter naming the missing labels.
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRegistry, sha256File } from '../../src/teach/registry.js';
import { assertBuilt } from '../helpers/built.js';
import { CLI, tempDir, writeConfig } from '../helpers/daemon.js';
import { cli } from './cli.js';
import { SHIPPED, shippedWith } from './models.js';

const dir = tempDir();
const MEAL = { COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 } } };

function store(id: string, menu: Record<string, unknown>): string {
  return writeConfig(
    dir,
    {
      store: { id, name: id },
      cameras: [{ id: 'counter', source: 'sim:builtin' }],
      detector: { model: SHIPPED },
      menu,
      mqtt: { embedded: { port: 0 } },
      dashboard: { enabled: false },
      storage: { dataDir: join(dir, id) },
      logging: { level: 'warn', pretty: false },
    },
    `${id}.yaml`,
  );
}

let candidate = '';
const bundle = join(dir, 'bundle');

beforeAll(() => {
  assertBuilt(CLI);
  candidate = shippedWith(join(dir, 'fleet.onnx'), { candidate: 'fleet-2.1' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model bundles', () => {
  it('export at one store, import at another as a candidate, then promote it', async () => {
    const exp = await cli([
      'model',
      'export',
      '--config',
      store('store-a', MEAL),
      '--out',
      bundle,
      candidate,
    ]);
    expect(exp.code, exp.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(bundle, 'bundle.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      format: 'traycheck-model-bundle',
      sha256: sha256File(candidate),
      from: 'store-a',
    });
    expect(readFileSync(join(bundle, 'labels.txt'), 'utf8')).toContain('burger\n');
    const again = await cli(['model', 'export', '--config', store('store-a', MEAL), '--out', bundle]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty/);

    const b = store('store-b', MEAL);
    const imp = await cli(['model', 'import', '--config', b, bundle]);
    expect(imp.code, imp.stderr).toBe(0);
    const installed = /as a candidate: (\S+)/.exec(imp.stdout)?.[1] ?? '';
    expect(existsSync(installed)).toBe(true);
    expect(sha256File(installed)).toBe(sha256File(candidate));
    // A candidate, not running: promotion stays the store's decision.
    expect(readRegistry(join(dir, 'store-b')).current).toBeNull();
    const list = await cli(['model', 'list', '--config', b, '--json']);
    const models = (JSON.parse(list.stdout) as { models: { sha256: string; current: boolean }[] }).models;
    expect(models.find((m) => m.sha256 === sha256File(candidate))).toMatchObject({ current: false });
    const promote = await cli(['model', 'promote', '--config', b, '--force', installed]);
    expect(promote.code, promote.stderr).toBe(0);
    expect(readRegistry(join(dir, 'store-b')).current).toBe(sha256File(candidate));
  });

  it('a damaged bundle is refused; so is one whose model lacks labels of the menu, naming them', async () => {
    const damaged = join(dir, 'damaged');
    cpSync(bundle, damaged, { recursive: true });
    appendFileSync(join(damaged, 'model.onnx'), Buffer.from([0]));
    const bad = await cli(['model', 'import', '--config', store('store-c', MEAL), damaged]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/damaged or was replaced/);

    const pizzeria = store('store-d', {
      ...MEAL,
      PIZZA: { name: 'Pizza', contains: { pizza: 1, drink: 1 } },
      TACO: { name: 'Taco', contains: { taco: 2 } },
    });
    const refused = await cli(['model', 'import', '--config', pizzeria, bundle]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not know label\(s\) this store's menu uses: pizza, taco/);
    expect(existsSync(join(dir, 'store-d', 'models'))).toBe(false);
  });
});
