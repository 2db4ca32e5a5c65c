// SIGKILL the orders stage (its own process, built code) in the middle of a stream of QoS 1
// orders, start it again on the same data directory, and count: nothing acknowledged to the POS
// may be lost, nothing may be stored twice. Once with mosquitto, once with the embedded broker
// (which dies with the process and must keep what it acknowledged on disk).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { assertBuilt } from '../helpers/built.js';
import { ROOT } from '../helpers/daemon.js';
import { startMosquitto, stopAllMosquittos } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { placed, removeDir, tempDataDir } from './harness.js';

const ENTRY = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const COUNT = 1000;

interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<void>;
}

function spawnStage(configFile: string): Child {
  const proc = spawn(process.execPath, [ENTRY, 'orders', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => lines.push(d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return { proc, lines, exited };
}

const children: Child[] = [];
const clients: mqtt.MqttClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await c.exited;
  }
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  await stopAllMosquittos();
  for (const d of dirs.splice(0)) removeDir(d);
});

async function crashAndRecover(
  mqttConfig: Record<string, unknown>,
  url: string,
): Promise<{ atKill: number }> {
  assertBuilt(ENTRY, ['src/orders', 'src/store', 'src/cli']);
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const configFile = join(dataDir, 'stage.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      storeId: 's1',
      dataDir,
      logLevel: 'info',
      mqtt: { reconnectMinMs: 100, reconnectMaxMs: 500, ...mqttConfig },
    }),
  );
  const ready = async (c: Child): Promise<void> => {
    await waitFor(
      () => c.lines.some((l) => l.includes('orders stage ready') && l.includes('"connected":true')),
      {
        timeoutMs: 20_000,
        message: `stage ready; output: ${c.lines.join('\n').slice(-1000)}`,
      },
    );
  };
  const first = spawnStage(configFile);
  children.push(first);
  await ready(first);

  const db = new Database(join(dataDir, 'traycheck.db'), { readonly: true, fileMustExist: true });
  const stored = (): number => (db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
  try {
    const pos = mqtt.connect(url, {
      clientId: 'pos-crash',
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 100,
    });
    clients.push(pos);
    pos.on('error', () => undefined);
    await new Promise((resolve) => pos.once('connect', resolve));
    const acks = Array.from({ length: COUNT }, (_, i) =>
      pos.publishAsync('traycheck/s1/pos', placed(`K${i}`), { qos: 1 }),
    );
    await waitFor(() => stored() >= 100, {
      timeoutMs: 20_000,
      intervalMs: 5,
      message: '100 orders stored before the kill',
    });
    first.proc.kill('SIGKILL');
    await first.exited;
    const atKill = stored();

    const second = spawnStage(configFile);
    children.push(second);
    await ready(second);
    await Promise.all(acks);
    await waitFor(() => stored() === COUNT, {
      timeoutMs: 30_000,
      intervalMs: 100,
      message: `all ${COUNT} orders after the restart`,
    });
    expect((db.prepare('SELECT COUNT(*) AS n FROM order_events').get() as { n: number }).n).toBe(COUNT);
    second.proc.kill('SIGTERM');
    await second.exited;
    expect(second.proc.exitCode).toBe(0);
    return { atKill };
  } finally {
    db.close();
  }
}

describe('orders stage killed mid-stream', () => {
  it('with mosquitto: every acknowledged order is stored once after the restart', async () => {
    const broker = await startMosquitto();
    const { atKill } = await crashAndRecover({ url: broker.url }, broker.url);
    expect(atKill).toBeLessThan(COUNT); // the kill really happened mid-stream
  });

  it('with the embedded broker: what it acknowledged survives the process', async () => {
    const port = await freePort();
    const { atKill } = await crashAndRecover(
      { embedded: { host: '127.0.0.1', port } },
      `mqtt://127.0.0.1:${port}`,
    );
    expect(atKill).toBeLessThan(COUNT);
  });
});
