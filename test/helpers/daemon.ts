// Start the real compiled daemon (`node dist/src/cli/main.js ...`) as a child process for
// integration tests, with its JSON log lines collected so tests can wait on them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { waitFor } from './wait.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface DaemonProc {
  child: ChildProcess;
  lines: LogLine[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number, message?: string): Promise<LogLine>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function tempDir(prefix = 'traycheck-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write a YAML config into `dir` and return its path. */
export function writeConfig(dir: string, config: Record<string, unknown>, name = 'traycheck.yaml'): string {
  const file = join(dir, name);
  writeFileSync(file, stringify(config));
  return file;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): DaemonProc {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const stderr: string[] = [];
  let buf = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        lines.push({ level: 30, msg: line });
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => stderr.push(d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal })),
  );
  return {
    child,
    lines,
    stderr,
    exited,
    waitForLog: (pred, timeoutMs = 20_000, message = 'log line') =>
      waitFor(() => lines.find(pred), {
        timeoutMs,
        message: `${message}; stderr: ${stderr.join('').slice(-500)}`,
      }),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
