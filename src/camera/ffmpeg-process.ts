// Spawning and ending one ffmpeg process (child_process.spawn, no wrapper library).
import { spawn, type ChildProcess } from 'node:child_process';
import { envWithoutAllocator } from '../allocator.js';

export const KILL_GRACE_MS = 2000;

export interface FfmpegProcess {
  child: ChildProcess;
  /** Resolves once the process has exited and its pipes are closed (also after a spawn error). */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null; error: Error | null }>;
}

export function spawnFfmpeg(binary: string, args: string[], withStdin: boolean): FfmpegProcess {
  const child = spawn(binary, args, {
    stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    env: envWithoutAllocator(),
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error: Error | null }>(
    (resolve) => {
      let error: Error | null = null;
      child.on('error', (err) => {
        error = err;
        // A process that never started emits no 'close' on some Node versions.
        if (child.pid === undefined) resolve({ code: null, signal: null, error });
      });
      child.on('close', (code, signal) => resolve({ code, signal, error }));
    },
  );
  return { child, closed };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function endProcess(proc: FfmpegProcess, graceMs = KILL_GRACE_MS): Promise<void> {
  const { child } = proc;
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    // ffmpeg blocked reading a pipe only sees SIGTERM after the read returns: close its stdin.
    child.stdin?.destroy();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await proc.closed;
    clearTimeout(timer);
    return;
  }
  await proc.closed;
}
