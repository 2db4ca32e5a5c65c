// The daemon's real log lines, as pino writes them: each field once (the composition root binds
// `stage`, a stage inside binds `component`), and one name per stage everywhere.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { createDaemon, type Daemon } from '../src/daemon.js';
import { createLogger } from '../src/log.js';
import { simSourcesFor } from '../src/sim/sim-cameras.js';
import type { Order } from '../src/types.js';
import { ROOT, writeConfig } from './helpers/daemon.js';
import { waitFor } from './helpers/wait.js';

/** Keys that appear twice in one object of a JSON text (JSON.parse keeps the last silently). */
export function duplicateKeys(text: string): string[] {
  const dupes: string[] = [];
  const objects: Array<Set<string> | null> = []; // null: an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = objects.at(-1);
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) dupes.push(key);
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      objects.push(new Set());
      expectKey = true;
    } else if (c === '[') objects.push(null);
    else if (c === '}' || c === ']') objects.pop();
    else if (c === ',') expectKey = objects.at(-1) instanceof Set;
  }
  return dupes;
}

describe('duplicateKeys', () => {
  it.each([
    ['{"a":1,"b":2}', []],
    ['{"stage":"orders","stage":"orders"}', ['stage']],
    ['{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"a"}', []],
    ['{"a":"x,\\"a\\":1","b":{"c":1,"c":2}}', ['c']],
  ])('%s → %j', (text, expected) => {
    expect(duplicateKeys(text)).toEqual(expected);
  });
});

const STAGES = [
  'store',
  'detect',
  'models',
  'orders',
  'alerts',
  'pipeline',
  'camera',
  'capture',
  'health',
  'dashboard',
];

describe('daemon log lines', () => {
  let dir: string;
  let daemon: Daemon | null = null;
  const env = { ...process.env };
  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    process.env = env;
    rmSync(dir, { recursive: true, force: true });
  });

  it('bind each field once and name each stage one way, from start to stop', async () => {
    dir = mkdtempSync(join(tmpdir(), 'traycheck-logs-'));
    const file = writeConfig(dir, {
      store: { id: 'logs' },
      cameras: [{ id: 'expo', source: `sim:${join(ROOT, 'test', 'scenarios', 'basic.yaml')}`, loop: false }],
      detector: { model: join(ROOT, 'models', 'traycheck-det.onnx') },
      mqtt: { embedded: { port: 0 } },
      dashboard: { port: 0 },
      storage: { dataDir: join(dir, 'data') },
      logging: { level: 'debug', pretty: false },
    });
    // A notify socket that is not there: the systemd notifier and its watchdog log too.
    process.env = { ...env, NOTIFY_SOCKET: join(dir, 'no-such.sock'), WATCHDOG_USEC: '3000000' };
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } });
    const loaded = loadConfig(file);
    daemon = createDaemon({ loaded, log, simSources: simSourcesFor(loaded.config) });
    let detections = 0;
    daemon.bus.on('detections', 'test', () => void detections++);
    await daemon.start();
    await waitFor(() => detections >= 3, { timeoutMs: 20_000, message: 'detections of three frames' });
    // A listener that throws is reported by the bus with the listener's stage.
    daemon.bus.emit('order', null as unknown as Order);
    await daemon.stop();
    daemon = null;

    const records = lines.flatMap((chunk) => chunk.split('\n').filter(Boolean));
    const dupes = records.filter((r) => duplicateKeys(r).length > 0);
    expect(dupes.slice(0, 5)).toEqual([]);
    const parsed = records.map((r) => JSON.parse(r) as { stage?: string; component?: string; msg: string });
    const stages = new Set(parsed.flatMap((p) => (p.stage ? [p.stage] : [])));
    expect([...stages].filter((s) => !STAGES.includes(s))).toEqual([]);
    // The lines this test is about were written at all.
    const components = new Set(parsed.map((p) => `${p.stage}/${p.component}`));
    for (const c of ['orders/broker', 'orders/mqtt', 'health/retention', 'health/systemd', 'health/watchdog'])
      expect(components).toContain(c);
    expect(parsed.some((p) => p.component === 'bus' && p.stage === 'pipeline')).toBe(true);
    for (const s of STAGES) expect(stages).toContain(s);
  });
});
