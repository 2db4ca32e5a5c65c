// A real mosquitto broker for integration tests: temp config on 127.0.0.1, persistence on disk,
// optional users (password file). `restart()` keeps the port and the persistence directory, so
// sessions and queued QoS 1 messages survive it as on a real site. Every broker started here is
// tracked: call `stopAllMosquittos()` in afterEach/afterAll.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

const MOSQUITTO = '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

export interface MosquittoOptions {
  /** Default: a free port. */
  port?: number;
  /** Default: a new temp dir (removed by stop()). Pass one to share state between brokers. */
  persistenceDir?: string;
  /** username → password; when given, anonymous clients are refused. */
  users?: Record<string, string>;
  /** Seconds between persistence saves while running (mosquitto also saves on a clean stop). Default 1. */
  autosaveIntervalS?: number;
  /** More mosquitto.conf lines (ACLs, limits). */
  extraConfig?: string[];
}

export interface Mosquitto {
  url: string;
  port: number;
  persistenceDir: string;
  /** SIGTERM: mosquitto saves its state and exits; resolves when it has. */
  stop(): Promise<void>;
  /** SIGKILL: dies at once, state since the last autosave is lost. */
  kill(): void;
  /** stop() (or wait for a killed one to exit), then start again on the same port and directory. */
  restart(): Promise<void>;
  /** Everything mosquitto printed (last 64 KiB). */
  output(): string;
  pid(): number | undefined;
}

const live = new Set<Mosquitto>();

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const port = opts.port ?? (await freePort());
  const ownDir = opts.persistenceDir === undefined;
  const dir = opts.persistenceDir ?? mkdtempSync(join(tmpdir(), 'traycheck-mosquitto-'));
  const confDir = mkdtempSync(join(tmpdir(), 'traycheck-mosquitto-conf-'));
  const conf = join(confDir, 'mosquitto.conf');
  const lines = [
    `listener ${port} 127.0.0.1`,
    `persistence true`,
    `persistence_location ${dir}/`,
    `autosave_interval ${opts.autosaveIntervalS ?? 1}`,
    'max_queued_messages 20000',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
  ];
  if (opts.users && Object.keys(opts.users).length) {
    const pw = join(confDir, 'passwd');
    writeFileSync(pw, '');
    for (const [user, password] of Object.entries(opts.users))
      execFileSync(MOSQUITTO_PASSWD, ['-b', pw, user, password]);
    lines.push('allow_anonymous false', `password_file ${pw}`);
  } else {
    lines.push('allow_anonymous true');
  }
  if (process.getuid?.() === 0) lines.push('user root');
  lines.push(...(opts.extraConfig ?? []));
  writeFileSync(conf, lines.join('\n') + '\n');

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let out = '';
  const alive = (): boolean => child !== null && child.exitCode === null && child.signalCode === null;

  const launch = async (): Promise<void> => {
    // A port just released by the previous process may be refused for a moment: retry briefly.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const c = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let attempt = '';
      const onData = (d: Buffer): void => {
        attempt += d.toString('utf8');
        out = (out + d.toString('utf8')).slice(-65536);
      };
      c.stdout?.on('data', onData);
      c.stderr?.on('data', onData);
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      try {
        await waitFor(
          async () => {
            if (c.exitCode !== null || c.signalCode !== null)
              throw new Error(`mosquitto exited (${c.exitCode ?? c.signalCode})`);
            return portAccepts(port);
          },
          { timeoutMs: 10_000, intervalMs: 20, message: `mosquitto listening on ${port}` },
        );
        return;
      } catch (err) {
        if (alive()) c.kill('SIGKILL');
        await exited;
        if (Date.now() > deadline || !/Address already in use/i.test(attempt)) {
          throw new Error(`${(err as Error).message}; output: ${out.slice(-2000)}`);
        }
      }
    }
  };

  const stopProcess = async (): Promise<void> => {
    if (alive()) {
      child?.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    } else {
      await exited;
    }
  };

  await launch();
  const broker: Mosquitto = {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    persistenceDir: dir,
    async stop() {
      await stopProcess();
      live.delete(broker);
      rmSync(confDir, { recursive: true, force: true });
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
    kill() {
      if (alive()) child?.kill('SIGKILL');
    },
    async restart() {
      await stopProcess();
      await launch();
    },
    output: () => out,
    pid: () => child?.pid,
  };
  live.add(broker);
  return broker;
}

export async function stopAllMosquittos(): Promise<void> {
  await Promise.all([...live].map((b) => b.stop()));
}
