// Promotion while the daemon is stopped: the CLI writes the registry, and the next start runs
// the promoted model (the configured model stays the base a rollback returns to).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRegistry, sha256File } from '../../src/teach/registry.js';
import { assertBuilt } from '../helpers/built.js';
import { CLI, runCli, tempDir, writeConfig } from '../helpers/daemon.js';
import { cli } from './cli.js';
import { SHIPPED, shippedWith } from './models.js';

const dir = tempDir();
const dataDir = join(dir, 'data');
let config = '';

beforeAll(() => {
  assertBuilt(CLI);
  config = writeConfig(dir, {
    store: { id: 'offline', name: 'Offline promotion' },
    cameras: [{ id: 'counter', source: 'sim:builtin' }],
    detector: { model: SHIPPED },
    menu: { COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 } } },
    mqtt: { embedded: { port: 0 } },
    dashboard: { enabled: false },
    storage: { dataDir },
    logging: { level: 'info', pretty: false },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('promotion with the daemon stopped', () => {
  it('is in the registry and runs at the next start; rollback with nothing before it is refused', async () => {
    const noRollback = await cli(['model', 'rollback', '--config', config]);
    expect(noRollback.code).toBe(1);
    expect(noRollback.stderr).toMatch(/nothing to roll back to/);

    const candidate = shippedWith(join(dir, 'candidate.onnx'), { candidate: 'offline' });
    const r = await cli(['model', 'promote', '--config', config, '--force', candidate]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /promoted [0-9a-f]{12} \(forced\); the daemon is not running: it starts with this model/,
    );
    expect(readRegistry(dataDir)).toMatchObject({
      current: sha256File(candidate),
      previous: [sha256File(SHIPPED)],
    });

    const daemon = runCli(['run', '--config', config]);
    try {
      const ready = await daemon.waitForLog((l) => l.msg === 'detector ready', 60_000, 'detector ready');
      expect(ready.sha256).toBe(sha256File(candidate));
      expect(daemon.lines.some((l) => l.msg === 'running the promoted model from the registry')).toBe(true);
    } finally {
      await daemon.stop();
    }
  }, 90_000);
});
