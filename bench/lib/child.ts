// Child processes of the benches: keep the tail of their output for error messages, wait for a
// line, stop them with SIGTERM (SIGKILL after a grace period).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { sleep } from './stats.js';

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  pid: number;
  /** The last few kB of stdout and stderr. */
  output(): string;
  /** Resolves once the output contains `text`; rejects when the process exits or after timeoutMs. */
  waitFor(text: string, timeoutMs: number): Promise<void>;
  alive(): boolean;
  stop(graceMs?: number): Promise<void>;
}

export function startChild(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString('utf8')).slice(-8000);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  const alive = (): boolean => proc.exitCode === null && proc.signalCode === null;
  return {
    proc,
    pid: proc.pid as number,
    output: () => out,
    alive,
    async waitFor(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (!alive()) throw new Error(`${args.slice(1, 3).join(' ')} exited before "${text}": ${out}`);
        if (Date.now() > deadline)
          throw new Error(`${args.slice(1, 3).join(' ')}: no "${text}" after ${timeoutMs / 1000} s: ${out}`);
        await sleep(100);
      }
    },
    async stop(graceMs = 20_000) {
      if (!alive()) return;
      proc.kill('SIGTERM');
      const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}
