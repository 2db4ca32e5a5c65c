// Shared set-up for the resilience tests: the real compiled daemon (`traycheck run`) as a child
// process on a temp data dir, killed and restarted by the tests, its SQLite files opened read-only
// from here, and POS clients whose acknowledgements are tracked. Every process, client and
// directory made here is registered and removed by `cleanUp()` (call it in afterEach).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { assertBuilt } from '../helpers/built.js';
import { CLI, ROOT, runCli, tempDir, writeConfig, type DaemonProc } from '../helpers/daemon.js';
import { stopAllMosquittos } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

export const MODEL = join(ROOT, 'models', 'traycheck-det.onnx');
export const STORE_ID = 's1';
export const topic = (kind: 'pos' | 'kds' | 'verdict' | 'alert'): string => `traycheck/${STORE_ID}/${kind}`;

/** SKUs used by the tests; labels the shipped model knows (config/traycheck.example.yaml). */
export const MENU = {
  COMBO1: { name: 'Burger Meal', contains: { burger: 1, fries: 1, drink: 1 } },
  BURGER: { name: 'Burger', contains: { burger: 1 } },
  FRIES: { name: 'Fries', contains: { fries: 1 } },
  DRINK: { name: 'Drink', contains: { drink: 1 } },
  GIFT_CARD: { name: 'Gift card', verify: false },
};

const daemons: DaemonProc[] = [];
const clients: mqtt.MqttClient[] = [];
const dirs: string[] = [];

/** A temp directory removed by cleanUp(). */
export function scratchDir(prefix = 'traycheck-resilience-'): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
}

export interface DaemonSetup {
  dir: string;
  dataDir: string;
  configFile: string;
  /** Another config file for the same data dir, with `more` sections on top of the first one's. */
  variant: (more: Record<string, unknown>, name: string) => string;
}

/**
 * A daemon config in a new scratch dir: no camera unless given, no dashboard unless given,
 * fast MQTT reconnects. `mqtt` and the other sections replace the defaults here key by key.
 */
export function daemonSetup(over: Record<string, unknown> = {}): DaemonSetup {
  const dir = scratchDir();
  const dataDir = join(dir, 'data');
  const write = (sections: Record<string, unknown>, name?: string): string =>
    writeConfig(
      dir,
      {
        store: { id: STORE_ID, name: 'Resilience' },
        cameras: [],
        detector: { model: MODEL, threads: 1 },
        menu: MENU,
        dashboard: { enabled: false },
        storage: { dataDir },
        logging: { level: 'info', pretty: false },
        ...sections,
        mqtt: {
          reconnectMinMs: 100,
          reconnectMaxMs: 1000,
          ...(sections.mqtt as Record<string, unknown> | undefined),
        },
      },
      name,
    );
  return {
    dir,
    dataDir,
    configFile: write(over),
    variant: (more, name) => write({ ...over, ...more }, name),
  };
}

/** `traycheck run --config <file>`; resolves once it logged "traycheck ready" with MQTT subscribed. */
export async function startDaemon(
  configFile: string,
  readyTimeoutMs = 30_000,
  env: NodeJS.ProcessEnv = {},
): Promise<DaemonProc> {
  assertBuilt(CLI);
  const d = runCli(['run', '--config', configFile], env);
  daemons.push(d);
  const exitedEarly = d.exited.then(({ code, signal }) => {
    throw new Error(`daemon exited before ready (${code ?? signal}): ${d.stderr.join('').slice(-1000)}`);
  });
  exitedEarly.catch(() => undefined);
  await Promise.race([
    d.waitForLog((l) => l.msg === 'traycheck ready', readyTimeoutMs, 'traycheck ready'),
    exitedEarly,
  ]);
  // start() waits up to 5 s for the broker and then goes on regardless: for these tests the
  // daemon must really be connected and subscribed when it says ready.
  const unreachable = d.lines.find((l) => l.msg.startsWith('MQTT broker not reachable yet'));
  if (unreachable) throw new Error(`daemon ready without its broker: ${JSON.stringify(unreachable)}`);
  return d;
}

/** SIGKILL: no shutdown code runs, as in a power cut of the process (not of the disk). */
export async function killDaemon(d: DaemonProc): Promise<void> {
  const { signal } = await d.stop('SIGKILL');
  if (signal !== 'SIGKILL')
    throw new Error(`daemon had already exited before the kill (${signal ?? 'code'})`);
}

/** Starts the daemon's V8 inspector on a free loopback port (pass to startDaemon's `env`). */
export const INSPECTOR_ENV: NodeJS.ProcessEnv = { NODE_OPTIONS: '--inspect=127.0.0.1:0' };

/** process.memoryUsage() of the daemon, in bytes. */
export interface DaemonMemory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface DaemonInspector {
  /** A full garbage collection in the daemon, then its memory: what it holds, not what it has yet to free. */
  memoryAfterGc(): Promise<DaemonMemory>;
  /** Disconnects (a daemon with a debugger attached waits for it before it exits). */
  close(): Promise<void>;
}

/** Connects to a daemon started with INSPECTOR_ENV (Chrome DevTools protocol over WebSocket). */
export async function inspectDaemon(d: DaemonProc): Promise<DaemonInspector> {
  const url = await waitFor(() => /Debugger listening on (ws:\/\/\S+)/.exec(d.stderr.join(''))?.[1], {
    timeoutMs: 10_000,
    message: 'the daemon started with its inspector',
  });
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (msg: { result?: unknown; error?: unknown }) => void>();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as { id?: number; result?: unknown; error?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg);
  });
  const call = (method: string, params: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (msg) => {
        pending.delete(id);
        if (msg.error) reject(new Error(`${method}: ${JSON.stringify(msg.error)}`));
        else resolve(msg.result);
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    async memoryAfterGc() {
      await call('HeapProfiler.collectGarbage');
      const r = (await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })) as { result: { value: string } };
      return JSON.parse(r.result.value) as DaemonMemory;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

/** Resident set size of a live process (Linux /proc), in bytes. */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

export interface StoreView {
  db: Database.Database;
  count(sql: string, ...params: unknown[]): number;
  close(): void;
}

/** The daemon's database, read-only (WAL: sees every committed transaction, including a killed writer's). */
export function openStore(file: string): StoreView {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  return {
    db,
    count: (sql, ...params) => (db.prepare(sql).get(...params) as { n: number }).n,
    close: () => db.close(),
  };
}

/** `PRAGMA integrity_check` and `foreign_key_check` of a database file, opened read-only. */
export function checkDatabase(file: string): { integrity: string[]; foreignKeyViolations: unknown[] } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map(
      (r) => r.integrity_check,
    );
    const foreignKeyViolations = db.pragma('foreign_key_check') as unknown[];
    return { integrity, foreignKeyViolations };
  } finally {
    db.close();
  }
}

/**
 * An MQTT client (POS, or a subscriber at HQ) with a persistent session (fixed id, clean: false): mqtt.js keeps unacknowledged
 * QoS 1 publishes and sends them again after a reconnect, as a POS library must.
 */
export async function connectPersistent(url: string, clientId: string): Promise<mqtt.MqttClient> {
  const client = mqtt.connect(url, {
    clientId,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 100,
    connectTimeout: 5000,
  });
  clients.push(client);
  client.on('error', () => undefined); // refused connections while the daemon (embedded broker) restarts
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  return client;
}

export interface TrackedPublisher {
  /** QoS 1 publish; resolves on PUBACK. `key` identifies the message in `acked`. */
  publish(topic: string, payload: string | Buffer, key: string): Promise<void>;
  /** Keys whose PUBACK came back, in order. */
  acked: Set<string>;
  inFlight(): number;
}

export function trackPublishes(client: mqtt.MqttClient): TrackedPublisher {
  const acked = new Set<string>();
  let inFlight = 0;
  return {
    acked,
    inFlight: () => inFlight,
    async publish(t, payload, key) {
      inFlight++;
      try {
        await client.publishAsync(t, payload, { qos: 1 });
        acked.add(key);
      } finally {
        inFlight--;
      }
    },
  };
}

export async function cleanUp(): Promise<void> {
  for (const d of daemons.splice(0)) await d.stop('SIGKILL');
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  await stopAllMosquittos();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
