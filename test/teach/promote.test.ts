// Promotion and rollback against the running daemon (`traycheck run`, simulated camera, embedded
// broker, dashboard): the model switches between frames with no camera reconnect and no MQTT
// reconnect, verdicts carry the new sha256, a broken candidate never replaces the running model
// (refused by the CLI, and by the daemon when the registry is written behind the CLI's back).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../helpers/built.js';
import { CLI, runCli, tempDir, type DaemonProc } from '../helpers/daemon.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { importModel, readAudit, readRegistry, sha256File, writeRegistry } from '../../src/teach/registry.js';
import { cli } from './cli.js';
import { writeTeachConfig } from './daemon-config.js';
import { SHIPPED, SHIPPED_LABELS, shippedWith } from './models.js';

const dir = tempDir();
const dataDir = join(dir, 'data');
let daemon: DaemonProc | null = null;
let config = '';
let base = '';

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Health {
  components: { model: { data: { sha256: string; inferences: number } } };
}
const health = async (): Promise<Health['components']['model']['data']> =>
  ((await (await fetch(`${base}/api/health`)).json()) as Health).components.model.data;
const count = (msg: string): number => daemon?.lines.filter((l) => l.msg === msg).length ?? 0;
/** Waits until the daemon has run this many more frames. */
async function framesFlow(n: number): Promise<void> {
  const from = (await health()).inferences;
  await waitFor(async () => (await health()).inferences >= from + n, {
    timeoutMs: 20_000,
    message: `${n} more frames`,
  });
}

beforeAll(async () => {
  assertBuilt(CLI);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  config = writeTeachConfig(dir, {
    store: { id: 'promo', name: 'Promotion test' },
    dataDir,
    dashboardPort: port,
  });
  daemon = runCli(['run', '--config', config]);
  await daemon.waitForLog((l) => l.msg === 'traycheck ready', 60_000, 'daemon ready');
  await daemon.waitForLog((l) => l.msg === 'camera online', 30_000, 'camera online');
  await framesFlow(5);
}, 90_000);

describe('model promote / rollback on the running daemon', () => {
  it('switches to a candidate between frames, without reconnecting the camera or MQTT, and rolls back', async () => {
    const candidate = shippedWith(join(dir, 'candidate.onnx'), { candidate: 'store-1' });
    const candidateSha = sha256File(candidate);
    const shippedSha = sha256File(SHIPPED);
    expect((await health()).sha256).toBe(shippedSha);
    const [cameraOnline, mqttConnected] = [count('camera online'), count('connected to MQTT broker')];

    const promoted = await cli(['model', 'promote', '--config', config, '--frames', '12', candidate]);
    expect(promoted.stderr).not.toMatch(/refused/);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(/switched to it/);
    expect((await health()).sha256).toBe(candidateSha);
    await framesFlow(5);
    expect(daemon?.lines.some((l) => l.msg === 'detector model swapped')).toBe(true);
    // Verdicts of trays settled after the swap name the new model.
    const db = new Database(join(dataDir, 'traycheck.db'), { readonly: true });
    try {
      await waitFor(() => db.prepare('SELECT 1 FROM verdicts WHERE model_sha256 = ?').get(candidateSha), {
        timeoutMs: 60_000,
        message: 'a verdict by the promoted model',
      });
    } finally {
      db.close();
    }
    expect(count('camera online')).toBe(cameraOnline);
    expect(count('connected to MQTT broker')).toBe(mqttConnected);
    expect(daemon?.lines.filter((l) => /offline|disconnected|reconnect/i.test(l.msg))).toEqual([]);

    const back = await cli(['model', 'rollback', '--config', config]);
    expect(back.code).toBe(0);
    expect((await health()).sha256).toBe(shippedSha);
    await framesFlow(3);
    expect(count('camera online')).toBe(cameraOnline);

    const list = await cli(['model', 'list', '--config', config, '--json']);
    const listed = JSON.parse(list.stdout) as {
      models: Array<{ sha256: string; current: boolean }>;
      changes: Array<{ action: string }>;
    };
    expect(listed.models.find((m) => m.current)?.sha256).toBe(shippedSha);
    expect(listed.models.map((m) => m.sha256)).toContain(candidateSha);
    expect(listed.changes.map((c) => c.action)).toEqual(['promote', 'loaded', 'rollback', 'loaded']);
  }, 120_000);

  it('never replaces the running model with a broken one', async () => {
    const running = (await health()).sha256;
    const garbage = join(dir, 'garbage.onnx');
    writeFileSync(garbage, 'not a model at all');
    const bad = await cli(['model', 'promote', '--config', config, '--force', garbage]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot run: model .*not a valid ONNX model/);

    // Class names without "fries": the menu's Burger Meal could not be verified.
    const names = JSON.stringify(SHIPPED_LABELS.map((l) => (l === 'fries' ? 'chips' : l)));
    const noFries = shippedWith(join(dir, 'no-fries.onnx'), { names });
    const refused = await cli(['model', 'promote', '--config', config, '--force', noFries]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot serve this store: .*fries/);
    expect((await health()).sha256).toBe(running);

    // Burgers called fries and fries burgers: it runs, but scores worse, so it needs --force.
    const swap: Record<string, string> = { burger: 'fries', fries: 'burger' };
    const swapped = JSON.stringify(SHIPPED_LABELS.map((l) => swap[l] ?? l));
    const worse = shippedWith(join(dir, 'worse.onnx'), { names: swapped });
    const notForced = await cli(['model', 'promote', '--config', config, '--frames', '12', worse]);
    expect(notForced.code).toBe(1);
    expect(notForced.stderr).toMatch(
      /promotion refused: worse than the running model: mAP@0\.5 on synthetic held-out frames/,
    );
    expect(readAudit(dataDir).at(-1)).toMatchObject({ action: 'refused', sha256: sha256File(worse) });
    expect((await health()).sha256).toBe(running);

    // Written straight into the registry, the daemon refuses it itself and puts the registry back.
    const card = importModel(dataDir, noFries);
    const before = readRegistry(dataDir);
    writeRegistry(dataDir, { current: card.sha256, previous: [...before.previous, running] });
    await waitFor(
      () => readAudit(dataDir).some((a) => a.action === 'load-failed' && a.sha256 === card.sha256),
      {
        message: 'daemon refusal in the audit log',
      },
    );
    await waitFor(() => readRegistry(dataDir).current === running, { message: 'registry put back' });
    expect((await health()).sha256).toBe(running);
    await framesFlow(3);
    expect(JSON.parse(readFileSync(join(dataDir, 'models', 'active.json'), 'utf8'))).toMatchObject({
      sha256: running,
      refused: { sha256: card.sha256 },
    });
  }, 120_000);
});
